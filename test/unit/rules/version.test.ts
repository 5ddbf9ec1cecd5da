import fc from 'fast-check';
import { compareVersions, parseKubeVersion, parseVersion } from '../../../lib/rules';

describe('parseVersion', () => {
  it.each([
    ['v1.30.3', 1, 30, 3],
    ['v1.30.3-eks-a18cd3a', 1, 30, 3],
    ['v1.29.0+k3s1', 1, 29, 0],
    ['v1.28.5-gke.1217000', 1, 28, 5],
    ['v1.31.2+rke2r1', 1, 31, 2],
    ['1.30', 1, 30, undefined],
    [
      '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.29.0-minimal-eksbuild.1',
      1,
      29,
      0,
    ],
    ['registry.k8s.io/kube-apiserver:v1.30.2', 1, 30, 2],
    ['registry.k8s.io/etcd:3.5.12-0', 3, 5, 12],
    ['localhost:5000/kube-proxy:v1.27.4@sha256:0123abcd', 1, 27, 4],
    ['  v1.30.1  ', 1, 30, 1],
  ])('reads %s', (raw, major, minor, patch) => {
    const parsed = parseVersion(raw);
    expect(parsed).toMatchObject({ ok: true, version: { major, minor } });
    if (parsed.ok) expect(parsed.version.patch).toBe(patch);
  });

  it.each([
    ['', 'empty'],
    ['latest', 'not a MAJOR.MINOR'],
    ['registry.k8s.io/kube-proxy', 'no tag'],
    ['localhost:5000/kube-proxy', 'no tag'],
    ['registry.k8s.io/kube-proxy:latest', 'not a MAJOR.MINOR'],
    ['v1', 'not a MAJOR.MINOR'],
    ['v1.30rc1', 'not a MAJOR.MINOR'],
    ['x'.repeat(300), 'longer than 256'],
  ])('refuses %j with a reason', (raw, reason) => {
    const parsed = parseVersion(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('accepts only 1.x as a Kubernetes version', () => {
    expect(parseKubeVersion('3.5.9')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not Kubernetes 1.x'),
    });
    expect(parseKubeVersion('v1.30.0')).toMatchObject({ ok: true });
  });

  it('orders by minor then patch', () => {
    const v = (s: string) => {
      const p = parseVersion(s);
      if (!p.ok) throw new Error(s);
      return p.version;
    };
    expect(compareVersions(v('1.29.9'), v('1.30.0'))).toBeLessThan(0);
    expect(compareVersions(v('1.30.2'), v('1.30.10'))).toBeLessThan(0);
    expect(compareVersions(v('1.30'), v('1.30.0'))).toBeLessThan(0);
  });

  it('never throws and always explains a failure (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (raw) => {
        const parsed = parseVersion(raw);
        if (parsed.ok) {
          expect(Number.isInteger(parsed.version.minor)).toBe(true);
        } else {
          expect(parsed.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any generated version through every real-world decoration (property)', () => {
    const decorations = [
      'v%s',
      '%s',
      'v%s-eks-a18cd3a',
      'v%s+k3s1',
      'v%s-gke.1217000',
      'registry.k8s.io/kube-proxy:v%s',
      'r.example:5000/eks/kube-proxy:v%s-minimal-eksbuild.1',
    ];
    fc.assert(
      fc.property(
        fc.nat(40),
        fc.nat(300),
        fc.constantFrom(...decorations),
        (minor, patch, deco) => {
          const parsed = parseVersion(deco.replace('%s', `1.${minor}.${patch}`));
          expect(parsed).toMatchObject({ ok: true, version: { major: 1, minor, patch } });
        },
      ),
    );
  });
});
