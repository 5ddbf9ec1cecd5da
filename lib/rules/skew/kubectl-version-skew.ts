/** KubectlVersionSkew: the kubectl a person uses is within one minor of every kube-apiserver. */
import { defineRule, skip } from '../rule';
import { KUBECTL_POLICY, kubectlSupportedMinors } from '../skew-policy';
import { orList, plural } from '../text';
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
    const behind = aMax - minor;
    const ahead = minor - aMin;
    const window = KUBECTL_POLICY.maxSkew;
    if (behind <= window && ahead <= window) return [];
    const supported = kubectlSupportedMinors(aMin, aMax).map((m) => `1.${m}`);
    const version = patchLabel(parsed.version);
    const range = apiserverRange(aMin, aMax);
    // Measured against the apiserver it is furthest from: the newest for an old kubectl.
    const older = behind > window;
    const apart = older ? behind : ahead;
    const against = older ? aMax : aMin;
    const ha = aMin === aMax ? '' : ` (the kube-apiserver instances run ${range})`;
    const fix =
      supported.length > 0
        ? `Install kubectl ${orList(supported)}.`
        : `No kubectl is within one minor of every kube-apiserver while they are ${aMax - aMin} minors apart; upgrade every kube-apiserver to 1.${aMax} (see ApiServerVersionSkew), then install kubectl 1.${aMax}.`;
    return [
      {
        subject: { kind: 'Kubectl', name: 'kubectl' },
        summary:
          `kubectl ${version} is ${plural(apart, 'minor')} ${older ? 'older' : 'newer'} than kube-apiserver 1.${against}${ha}; ` +
          `kubectl is supported within one minor of every kube-apiserver. ${fix}`,
        details: {
          kubectlVersion: version,
          kubectlRaw: ref.raw,
          kubectlSource: ref.source,
          apiserverMin: `1.${aMin}`,
          apiserverMax: `1.${aMax}`,
          problem: older ? 'olderThanApiserver' : 'newerThanApiserver',
          minorsApart: apart,
          allowedMinorsApart: window,
          supportedKubectl: supported,
        },
      },
    ];
  },
});
