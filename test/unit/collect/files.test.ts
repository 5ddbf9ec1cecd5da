import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../../../lib/collect/errors';
import {
  collectFromFiles,
  parseText,
  readInputs,
  snapshotFromDocuments,
} from '../../../lib/collect/files';
import { kubeProxyPod, list, node, staticPod, versionOutput } from '../../support/kube-objects';

const collectedAt = '2026-11-21T12:00:00.000Z';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'skewguard-files-'));
}

describe('snapshotFromDocuments', () => {
  it('reads kubectl Lists, API lists without item kinds, single objects and version output', () => {
    const apiNodeList = {
      kind: 'NodeList',
      apiVersion: 'v1',
      metadata: {},
      items: [{ ...node('b', 'v1.29.1'), kind: undefined }],
    };
    const snap = snapshotFromDocuments(
      [
        versionOutput('v1.30.4-eks-a737599'),
        list([node('a', 'v1.30.1', 'ng-1')]),
        apiNodeList,
        kubeProxyPod('a', 'x/kube-proxy:v1.30.1'),
      ],
      { cluster: 'c', collectedAt },
    );
    expect(snap.nodes.map((n) => [n.name, n.kubeletVersion.raw, n.nodeGroup])).toEqual([
      ['a', 'v1.30.1', 'ng-1'],
      ['b', 'v1.29.1', undefined],
    ]);
    expect(snap.nodes[0]?.kubeProxyVersion?.raw).toBe('x/kube-proxy:v1.30.1');
    expect(snap.controlPlane).toEqual([
      {
        component: 'kube-apiserver',
        instance: 'serverVersion',
        version: { raw: 'v1.30.4-eks-a737599', source: 'kubectl version serverVersion' },
      },
    ]);
    expect(snap.provider).toBe('eks');
    expect(snap.parts.controlPlane).toMatchObject({ state: 'notObservable' });
    expect(snap.parts.kubeProxy).toEqual({ state: 'collected' });
  });

  it('takes one apiserver instance per static pod and the other components from theirs', () => {
    const snap = snapshotFromDocuments(
      [
        versionOutput('v1.30.2'),
        list([node('cp1', 'v1.30.2'), node('cp2', 'v1.30.2')]),
        list([
          staticPod('kube-apiserver', 'cp1', 'registry.k8s.io/kube-apiserver:v1.30.2'),
          staticPod('kube-apiserver', 'cp2', 'registry.k8s.io/kube-apiserver:v1.29.6'),
          staticPod(
            'kube-controller-manager',
            'cp1',
            'registry.k8s.io/kube-controller-manager:v1.30.2',
          ),
          staticPod('kube-scheduler', 'cp1', 'registry.k8s.io/kube-scheduler:v1.30.2'),
          staticPod('etcd', 'cp1', 'registry.k8s.io/etcd:3.5.15-0'),
        ]),
      ],
      { cluster: 'c', collectedAt },
    );
    expect(snap.controlPlane.map((c) => `${c.component}@${c.instance}`)).toEqual([
      'kube-apiserver@kube-apiserver-cp1',
      'kube-apiserver@kube-apiserver-cp2',
      'kube-controller-manager@kube-controller-manager-cp1',
      'kube-scheduler@kube-scheduler-cp1',
      'etcd@etcd-cp1',
    ]);
    expect(snap.parts.etcd).toEqual({ state: 'collected' });
  });

  it('notes unknown kinds instead of failing, and marks absent lists as missing with the fix', () => {
    const snap = snapshotFromDocuments(
      [
        list([
          node('a', 'v1.30.1'),
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
        ]),
      ],
      { cluster: 'c', collectedAt },
    );
    expect(snap.notes).toContainEqual(expect.stringContaining('ignored 1 Service object'));
    expect(snap.parts.apiserver).toMatchObject({
      state: 'missing',
      reason: expect.stringContaining('kubectl version -o json'),
    });
    expect(snap.parts.pods).toMatchObject({
      state: 'missing',
      reason: expect.stringContaining('kubectl get pods -A -o json'),
    });
  });

  it('ignores the deprecated nodeInfo.kubeProxyVersion', () => {
    const snap = snapshotFromDocuments([list([node('a', 'v1.30.1')])], {
      cluster: 'c',
      collectedAt,
    });
    expect(snap.nodes[0]?.kubeProxyVersion).toBeUndefined();
    expect(snap.notes.join(' ')).toContain('kubeProxyVersion is ignored');
  });
});

describe('reading files', () => {
  it('reads JSON, multi-document YAML and whole folders', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'version.json'), JSON.stringify(versionOutput('v1.30.2')));
    writeFileSync(
      join(dir, 'nodes.yaml'),
      `${stringify(node('a', 'v1.30.1'))}---\n${stringify(node('b', 'v1.30.1'))}---\n`,
    );
    writeFileSync(join(dir, 'notes.txt'), 'not read');
    const docs = await readInputs([dir]);
    expect(docs.map((d) => d.file.split('/').pop())).toEqual([
      'nodes.yaml',
      'nodes.yaml',
      'version.json',
    ]);
    const snap = await collectFromFiles([dir], { collectedAt });
    expect(snap.nodes).toHaveLength(2);
    expect(snap.cluster).toBe(dir.split('/').pop());
  });

  it('reads standard input for -', async () => {
    const docs = await readInputs(['-'], async () => JSON.stringify(list([node('a', 'v1.30.1')])));
    expect(docs).toHaveLength(1);
  });

  it.each([
    [
      'missing.json',
      undefined,
      /missing\.json: no such file or folder; check the --from-file path/,
    ],
    ['empty.json', '', /empty\.json: is empty/],
    ['cut.json', '{"kind":"List","items":[{"kind":"No', /cut\.json: is not valid JSON .*cut off/],
    ['bad.yaml', 'kind: Node\n  metadata: [', /bad\.yaml: is not valid YAML/],
    [
      'services.json',
      JSON.stringify(list([{ kind: 'Service', metadata: { name: 's' } }])),
      /contains no objects skewguard reads \(ignored 1 Service object/,
    ],
  ])('names the file and the problem for %s', async (name, content, message) => {
    const dir = tempDir();
    if (content !== undefined) writeFileSync(join(dir, name), content);
    const error = await collectFromFiles([join(dir, name)], { collectedAt }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });

  it('parses YAML documents and skips empty ones', () => {
    expect(parseText('x.yaml', '---\nkind: Node\nmetadata: {name: a}\n---\n')).toHaveLength(1);
  });
});
