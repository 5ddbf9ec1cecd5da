/**
 * Keeps the rollout fixtures' builders importable from where they used to live; they are now
 * part of the shared kubectl-object factory (test/support/kube-objects/rollout.ts).
 */
export * from '../../../../support/kube-objects/rollout';
