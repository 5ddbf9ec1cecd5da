/** `skewguard check --manifests DIR`: ConfigDrift from rendered manifests against saved kubectl output. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cli } from '../../support/cli';

const TEMPLATE_DEFAULTS = {
  // What the API server adds to every container: never in the manifest, never drift.
  imagePullPolicy: 'IfNotPresent',
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};

function liveDeployment(
  name: string,
  namespace: string,
  replicas: number,
  container: Record<string, unknown>,
): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, generation: 3, uid: `uid-${name}` },
    spec: {
      replicas,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: name } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      template: {
        metadata: {
          labels: { app: name },
          annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-20T10:00:00Z' },
        },
        spec: {
          containers: [{ ...TEMPLATE_DEFAULTS, ...container }],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          terminationGracePeriodSeconds: 30,
        },
      },
    },
    status: {
      observedGeneration: 3,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
    },
  };
}

/** Saved kubectl output of the live cluster, and the manifests it was (mostly) applied from. */
function scenario(): { live: string; manifests: string } {
  const dir = mkdtempSync(join(tmpdir(), 'skewguard-drift-'));
  const live = join(dir, 'live.json');
  const password = {
    name: 'DB_PASSWORD',
    valueFrom: { secretKeyRef: { name: 'db', key: 'pw-v2' } },
  };
  writeFileSync(
    live,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        // Patched live: a hotfix image, one more arg, the password read from another key.
        liveDeployment('web', 'shop', 3, {
          name: 'app',
          image: 'shop/web:2.4.0-hotfix',
          args: ['--port=8080', '--debug'],
          env: [{ name: 'MODE', value: 'prod' }, password],
          resources: { requests: { cpu: '500m', memory: '256Mi' } },
        }),
        // Scaled by its HPA to 7, where the manifest says 3.
        liveDeployment('api', 'shop', 7, { name: 'api', image: 'shop/api:1.9.0' }),
        // In namespace default, with quantities as the API server rewrites them.
        liveDeployment('cache', 'default', 1, {
          name: 'redis',
          image: 'redis:7.2',
          resources: { limits: { cpu: '500m', memory: '1Gi' } },
        }),
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'api', namespace: 'shop' },
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
            minReplicas: 3,
            maxReplicas: 10,
          },
        },
      ],
    }),
  );
  const manifests = join(dir, 'rendered');
  mkdirSync(join(manifests, 'shop'), { recursive: true });
  const deployment = (
    name: string,
    namespace: string | undefined,
    replicas: number,
    container: Record<string, unknown>,
  ): Record<string, unknown> => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: name } },
        spec: { containers: [container] },
      },
    },
  });
  // Multi-document YAML, as `kustomize build` writes it.
  writeFileSync(
    join(manifests, 'shop', 'all.yaml'),
    [
      deployment('web', 'shop', 3, {
        name: 'app',
        image: 'shop/web:2.3.1',
        args: ['--port=8080'],
        env: [
          { name: 'MODE', value: 'prod' },
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } },
        ],
        resources: { requests: { cpu: '500m', memory: '256Mi' } },
      }),
      deployment('api', 'shop', 3, { name: 'api', image: 'shop/api:1.9.0' }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } },
    ]
      .map((d) => stringify(d))
      .join('---\n'),
  );
  // A List in JSON, and an object without a namespace.
  writeFileSync(
    join(manifests, 'more.json'),
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        deployment('cache', undefined, 1, {
          name: 'redis',
          image: 'redis:7.2',
          resources: { limits: { cpu: '0.5', memory: '1Gi' } },
        }),
        deployment('worker', 'shop', 2, { name: 'worker', image: 'shop/worker:1.0.0' }),
      ],
    }),
  );
  return { live, manifests };
}

interface JsonFinding {
  readonly ruleId: string;
  readonly subject: { kind: string; namespace?: string; name: string };
  readonly summary: string;
  readonly details: Record<string, unknown>;
}

async function drift(
  ...extra: string[]
): Promise<{ findings: JsonFinding[]; notes: string[]; stdout: string }> {
  const { live, manifests } = scenario();
  const run = await cli(
    'check',
    '--from-file',
    live,
    '--manifests',
    manifests,
    '-o',
    'json',
    ...extra,
  );
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as {
    findings: JsonFinding[];
    notes: string[];
    coverage: unknown[];
  };
  expect(report.coverage).toContainEqual({ ruleId: 'ConfigDrift', status: 'evaluated' });
  return {
    findings: report.findings.filter((f) => f.ruleId === 'ConfigDrift'),
    notes: report.notes,
    stdout: run.stdout,
  };
}

describe('check --manifests', () => {
  it('finds the image changed live, naming each differing field with both values', async () => {
    const { findings } = await drift();
    const web = findings.find((f) => f.subject.name === 'web');
    expect(web).toMatchObject({
      subject: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      details: { file: 'shop/all.yaml' },
    });
    expect(web?.details['differences']).toEqual(
      expect.arrayContaining([
        {
          path: 'spec.template.spec.containers[app].image',
          manifest: 'shop/web:2.3.1',
          live: 'shop/web:2.4.0-hotfix',
        },
        {
          path: 'spec.template.spec.containers[app].args',
          manifest: '["--port=8080"]',
          live: '["--port=8080","--debug"]',
        },
      ]),
    );
    expect(web?.summary).toContain(
      'containers[app].image (manifest shop/web:2.3.1, live shop/web:2.4.0-hotfix)',
    );
    expect(web?.summary).toContain('kubectl diff -f');
  });

  it('never prints a value read from a Secret, only the path and "differs"', async () => {
    const { findings, stdout } = await drift();
    const web = findings.find((f) => f.subject.name === 'web');
    expect(web?.details['differences']).toContainEqual({
      path: 'spec.template.spec.containers[app].env[DB_PASSWORD].valueFrom.secretKeyRef.key',
      manifest: 'differs',
      live: 'differs',
    });
    expect(stdout).not.toContain('pw-v2');
  });

  it('is quiet on replicas an HPA owns, and on defaulted fields the manifest does not set', async () => {
    const { findings } = await drift();
    expect(findings.map((f) => f.subject.name).sort()).toEqual(['web', 'worker']);
  });

  it('finds an object in the manifests that is missing live', async () => {
    const { findings } = await drift();
    expect(findings.find((f) => f.subject.name === 'worker')).toMatchObject({
      subject: { kind: 'Deployment', namespace: 'shop', name: 'worker' },
      details: { missing: true, file: 'more.json' },
    });
  });

  it('compares objects without a namespace in default, or --manifests-namespace, and says so', async () => {
    const { notes } = await drift();
    expect(notes.join('\n')).toMatch(
      /1 manifest object\(s\) .* no metadata.namespace and were compared in namespace default \(set another with --manifests-namespace\)/,
    );
    const elsewhere = await drift('--manifests-namespace', 'cache-ns');
    // Live, the cache runs in default: in cache-ns it is missing.
    expect(elsewhere.findings.find((f) => f.subject.name === 'cache')).toMatchObject({
      subject: { namespace: 'cache-ns' },
      details: { missing: true, namespaceDefaulted: true },
    });
  });

  it('refuses a manifests folder without workloads, naming it and what to pass', async () => {
    const { live } = scenario();
    const empty = mkdtempSync(join(tmpdir(), 'skewguard-drift-empty-'));
    writeFileSync(
      join(empty, 'svc.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
    );
    const run = await cli('check', '--from-file', live, '--manifests', empty);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${empty}: holds no Deployment, StatefulSet or DaemonSet`);
  });

  it('needs a source with pod templates: Prometheus alone is a usage error', async () => {
    const { manifests } = scenario();
    const run = await cli(
      'check',
      '--prometheus-url',
      'http://127.0.0.1:9',
      '--manifests',
      manifests,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Prometheus does not carry.*--from-file/);
  });

  it('without --manifests, ConfigDrift is skipped naming the flag', async () => {
    const { live } = scenario();
    const run = await cli('check', '--from-file', live, '-o', 'json');
    const report = JSON.parse(run.stdout) as {
      coverage: { ruleId: string; status: string; reason?: string }[];
    };
    const entry = report.coverage.find((c) => c.ruleId === 'ConfigDrift');
    expect(entry?.status).toBe('skipped');
    expect(entry?.reason).toContain('--manifests DIR');
  });
});
