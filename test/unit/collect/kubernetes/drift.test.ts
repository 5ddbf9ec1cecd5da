/** The deployed path of drift: a cluster's bundled manifests read by its collector, compared with the live API's pod templates and HPAs. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { collectorsFor } from '../../../../lib/collect/from-config';
import { parseConfig } from '../../../../lib/config';
import { DEFAULT_POLICY, evaluate } from '../../../../lib/rules';
import { NOW } from '../../../support/evaluate';
import { startKubeApiServer } from '../../../support/kube-api-server';

const arn = (name: string): string =>
  `arn:aws:secretsmanager:eu-west-1:123456789012:secret:skewguard/${name}-AbCdEf`;

function deployment(name: string, image: string, replicas: number): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', generation: 1, uid: `uid-${name}` },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name, image, imagePullPolicy: 'IfNotPresent' }],
          restartPolicy: 'Always',
        },
      },
    },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
    },
  };
}

const MANIFEST = (name: string, image: string, replicas: number): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: {name: ${name}, namespace: shop}`,
    'spec:',
    `  replicas: ${replicas}`,
    '  template:',
    `    metadata: {labels: {app: ${name}}}`,
    `    spec: {containers: [{name: ${name}, image: "${image}"}]}`,
    '',
  ].join('\n');

async function run(manifestsRoot: string) {
  const server = await startKubeApiServer({
    objects: [
      deployment('web', 'shop/web:2.4.0-hotfix', 3),
      deployment('api', 'shop/api:1.9.0', 8),
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'api', namespace: 'shop' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } },
      },
    ],
    version: { gitVersion: 'v1.30.4', major: '1', minor: '30' },
  });
  try {
    const [cluster] = parseConfig({
      clusters: [
        {
          name: 'lab',
          kubernetes: { server: server.url, tokenSecretArn: arn('token'), caSecretArn: arn('ca') },
          drift: { manifests: 'drift/lab' },
        },
      ],
    }).clusters;
    const secrets = {
      send: (command: GetSecretValueCommand) =>
        Promise.resolve({
          SecretString: command.input.SecretId === arn('ca') ? server.caPem : server.token,
        }),
    };
    const [collector] = collectorsFor(cluster!, { secrets, manifestsRoot }, () =>
      new Date(NOW).toISOString(),
    );
    const snapshot = await collector!.collect();
    return { snapshot, evaluation: evaluate(snapshot, DEFAULT_POLICY, NOW) };
  } finally {
    await server.stop();
  }
}

describe('drift in the deployed checker', () => {
  it('reads the bundled manifests and finds the live image, leaving HPA-owned replicas alone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'skewguard-task-root-'));
    mkdirSync(join(root, 'drift', 'lab'), { recursive: true });
    writeFileSync(
      join(root, 'drift', 'lab', 'all.yaml'),
      `${MANIFEST('web', 'shop/web:2.3.1', 3)}---\n${MANIFEST('api', 'shop/api:1.9.0', 3)}`,
    );
    const { snapshot, evaluation } = await run(root);
    expect(snapshot.parts.manifests).toEqual({ state: 'collected' });
    // Only the twins of the manifests' workloads are kept, with their templates.
    expect(snapshot.manifests?.live.map((l) => l.name).sort()).toEqual(['api', 'web']);
    const drift = evaluation.findings.filter((f) => f.ruleId === 'ConfigDrift');
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({
      subject: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      details: {
        differences: [
          {
            path: 'spec.template.spec.containers[web].image',
            manifest: 'shop/web:2.3.1',
            live: 'shop/web:2.4.0-hotfix',
          },
        ],
      },
    });
  });

  it('skips ConfigDrift, not the source, when the bundle lacks the folder, saying to redeploy', async () => {
    const { snapshot, evaluation } = await run(
      mkdtempSync(join(tmpdir(), 'skewguard-empty-root-')),
    );
    expect(snapshot.sources).toEqual([{ source: 'kubernetes', status: 'ok' }]);
    expect(evaluation.coverage.find((c) => c.ruleId === 'ConfigDrift')).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(
        /drift manifests could not be read .*redeploy so synth bundles/,
      ),
    });
  });
});
