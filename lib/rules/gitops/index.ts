/** The GitOps part of the catalogue: Argo CD and Flux apps that drift from Git, fail, degrade or stay suspended. */
import type { Rule } from '../rule';
import { GitOpsDegraded } from './gitops-degraded';
import { GitOpsOutOfSync } from './gitops-out-of-sync';
import { GitOpsSuspended } from './gitops-suspended';
import { GitOpsSyncFailed } from './gitops-sync-failed';

/** The GitOps rules, in the order of the README's rule table. */
export const GITOPS_RULES: readonly Rule[] = [
  GitOpsDegraded,
  GitOpsSyncFailed,
  GitOpsOutOfSync,
  GitOpsSuspended,
];
