/** KubectlVersionSkew: the kubectl a person uses is within one minor of every kube-apiserver. */
import { numberOf, textOf, wasText } from '../last-finding';
import { defineRule, skip } from '../rule';
import { KUBECTL_POLICY, kubectlSupportedMinors } from '../skew-policy';
import { plural } from '../text';
import { parseKubeVersion, patchLabel } from '../version';
import { apiserverBoundsMissing, apiserverRange, inventory } from './inventory';

/** kubectl is at most one minor older or newer than every kube-apiserver it talks to. */
export const KubectlVersionSkew = defineRule({
  id: 'KubectlVersionSkew',
  title: 'kubectl outside the version skew policy',
  description:
    'The kubectl client is within one minor (older or newer) of every kube-apiserver; with HA apiservers at 1.N and 1.N-1 only kubectl 1.N-1 and 1.N qualify.',
  category: 'skew',
  severity: 'warning',
  // The client version does not drift back by itself: a one-shot run reports it at once.
  forSeconds: 0,
  needs: ['apiserver', 'kubectl'],
  resolved: (last) => {
    const minor = last.subject.name.replace(/^v/, '');
    const apart = numberOf(last, 'minorsApart');
    const newer = textOf(last, 'problem') === 'newerThanApiserver';
    const against = textOf(last, newer ? 'apiserverMin' : 'apiserverMax');
    const gap =
      apart !== undefined && against !== undefined
        ? `${plural(apart, 'minor')} ${newer ? 'ahead of' : 'behind'} kube-apiserver ${against}`
        : undefined;
    return `kubectl ${minor} is no longer out of policy${wasText([gap])}`;
  },
  evaluate(snapshot) {
    const inv = inventory(snapshot);
    const missing = apiserverBoundsMissing(inv);
    if (missing !== undefined || inv.aMin === undefined || inv.aMax === undefined)
      return skip(missing ?? '');
    const ref = snapshot.kubectl?.version;
    // The part says collected but no collector put a version there: a bug, never a pass.
    if (!ref)
      return skip(
        'the kubectl part is marked collected but holds no client version; save `kubectl version -o json` with the other files',
      );
    const parsed = parseKubeVersion(ref.raw);
    if (!parsed.ok)
      return skip(
        `kubectl reports version "${ref.raw}" (${ref.source}), which cannot be parsed (${parsed.reason}); use a released kubectl, whose \`kubectl version --client\` names its 1.x version`,
      );
    const { aMin, aMax } = inv;
    const minor = parsed.version.minor;
    const window = KUBECTL_POLICY.maxSkew;
    // Measured against the apiserver it is furthest from: the newest for an old kubectl, the
    // oldest for a new one; within the window of both means within the window of every one.
    const behind = aMax - minor;
    const ahead = minor - aMin;
    if (behind <= window && ahead <= window) return [];
    const older = behind > window;
    const apart = older ? behind : ahead;
    const against = older ? aMax : aMin;
    const allowed = kubectlSupportedMinors(aMin, aMax);
    // The advice stops at the newest apiserver's minor: that kubectl is released and known to
    // work with this cluster, while 1.(newest+1), which the policy also allows, may not exist yet.
    const advised = allowed.filter((m) => m <= aMax);
    const ha =
      aMin === aMax ? '' : ` (the kube-apiserver instances run ${apiserverRange(aMin, aMax)})`;
    const fix =
      advised.length > 0
        ? `Install kubectl ${minorRange(advised)}.`
        : `No kubectl is within one minor of every kube-apiserver while they are ${plural(aMax - aMin, 'minor')} apart; finish the control-plane upgrade to 1.${aMax} (see ApiServerVersionSkew), then install kubectl 1.${aMax - window}–1.${aMax}.`;
    return [
      {
        subject: { kind: 'Kubectl', name: `v1.${minor}` },
        summary:
          `kubectl 1.${minor} is ${plural(apart, 'minor')} ${older ? 'behind' : 'ahead of'} kube-apiserver 1.${against}${ha}; ` +
          `the policy allows one${aMin === aMax ? '' : ' from every kube-apiserver'}. ${fix}`,
        details: {
          kubectlVersion: patchLabel(parsed.version),
          kubectlRaw: ref.raw,
          kubectlSource: ref.source,
          apiserverMin: `1.${aMin}`,
          apiserverMax: `1.${aMax}`,
          problem: older ? 'olderThanApiserver' : 'newerThanApiserver',
          minorsApart: apart,
          allowedMinorsApart: window,
          allowedKubectl: allowed.map((m) => `1.${m}`),
          advisedKubectl: advised.map((m) => `1.${m}`),
        },
      },
    ];
  },
});

/** `1.31`, or `1.30–1.31` for consecutive minors (the allowed window has no gaps). */
function minorRange(minors: readonly number[]): string {
  const first = minors[0];
  const last = minors[minors.length - 1];
  return first === last ? `1.${first ?? ''}` : `1.${first ?? ''}–1.${last ?? ''}`;
}
