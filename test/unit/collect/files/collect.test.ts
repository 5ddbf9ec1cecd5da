import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../../../../lib/collect/errors';
import {
  classifyDocuments,
  collectFromFiles,
  parseText,
  readInputs,
  savedInfoOf,
  snapshotFromDocuments,
} from '../../../../lib/collect/files/collect';
import { SNAPSHOT_INFO } from '../../../../lib/collect/files/save';
import { kubeProxyPod, list, node, staticPod, versionOutput } from '../../../support/kube-objects';

const collectedAt = '2026-11-21T12:00:00.000Z';
const FIXTURES = join(__dirname, '../../../fixtures/inputs');

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

  it('names what it ignored in the plural where there are several', () => {
    const snap = snapshotFromDocuments(
      [list([node('a', 'v1.30.1'), 7, 'x', { metadata: { name: 'k' } }, { metadata: {} }])],
      { cluster: 'c', collectedAt },
    );
    expect(snap.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ignored 2 non-object items \(/),
        expect.stringMatching(/^ignored 2 objects without kind \(/),
      ]),
    );
  });

  it('counts an object given twice once and says how many copies it dropped', () => {
    const pods = list([kubeProxyPod('a', 'x/kube-proxy:v1.26.1')]);
    const snap = snapshotFromDocuments(
      [
        versionOutput('v1.30.2'),
        list([node('a', 'v1.26.1')]),
        pods,
        list([node('a', 'v1.26.1')]),
        pods,
        versionOutput('v1.30.2'),
      ],
      { cluster: 'c', collectedAt },
    );
    expect(snap.nodes.map((n) => n.name)).toEqual(['a']);
    expect(snap.pods).toHaveLength(1);
    expect(snap.controlPlane).toHaveLength(1);
    expect(snap.notes).toContainEqual(
      expect.stringMatching(
        /^ignored 2 duplicate objects \(same kind, namespace and name .*identical\)$/,
      ),
    );
  });

  it('keeps the newer copy of an object that changed between two outputs, and says so', () => {
    const old = { ...node('a', 'v1.29.0'), metadata: { name: 'a', resourceVersion: '900' } };
    const upgraded = { ...node('a', 'v1.30.1'), metadata: { name: 'a', resourceVersion: '1200' } };
    const snap = snapshotFromDocuments([list([upgraded]), list([old])], {
      cluster: 'c',
      collectedAt,
    });
    expect(snap.nodes.map((n) => n.kubeletVersion.raw)).toEqual(['v1.30.1']);
    expect(snap.notes).toContainEqual(
      expect.stringMatching(/^ignored 1 duplicate object \(.*1 differed; the copy with the newest/),
    );
  });

  it('rejects two version outputs with different serverVersions, naming both files', () => {
    const call = (): unknown =>
      snapshotFromDocuments(
        [
          { file: 'a/version.json', document: versionOutput('v1.30.2') },
          { file: 'b/version.json', document: versionOutput('v1.29.6') },
        ],
        { cluster: 'c', collectedAt },
      );
    expect(call).toThrow(InputError);
    expect(call).toThrow(
      /^a\/version\.json and b\/version\.json: hold `kubectl version` outputs with different serverVersions \(v1\.30\.2 and v1\.29\.6\): they come from different clusters, or the cluster changed/,
    );
  });

  it('rejects kubectl version output without serverVersion: kubectl could not reach the cluster', () => {
    const clientOnly = { clientVersion: versionOutput('v1.30.2')['clientVersion'] };
    const call = (): unknown =>
      snapshotFromDocuments(
        [{ file: 'version.json', document: clientOnly }, list([node('a', 'v1.30.1')])],
        { cluster: 'c', collectedAt },
      );
    expect(call).toThrow(InputError);
    expect(call).toThrow(
      'version.json: this `kubectl version` output has only clientVersion: kubectl could not reach the cluster; re-run `kubectl version -o json` with cluster access',
    );
  });

  it('reads the kubectl client from the clientVersion of `kubectl version` output', () => {
    const snap = snapshotFromDocuments(
      [{ file: 'version.json', document: versionOutput('v1.31.2', { clientVersion: 'v1.27.16' }) }],
      { cluster: 'c', collectedAt },
    );
    expect(snap.parts.kubectl).toEqual({ state: 'collected' });
    expect(snap.kubectl).toEqual({
      version: { raw: 'v1.27.16', source: 'kubectl version clientVersion (version.json)' },
    });
  });

  it('marks the kubectl part missing with how to supply it when no clientVersion was given', () => {
    const nodesOnly = snapshotFromDocuments([list([node('a', 'v1.30.1')])], {
      cluster: 'c',
      collectedAt,
    });
    expect(nodesOnly.kubectl).toBeUndefined();
    expect(nodesOnly.parts.kubectl).toEqual({
      state: 'missing',
      reason:
        'no `kubectl version -o json` output in the input; save it with the other files (`kubectl version -o json > version.json`) to check your kubectl',
    });
    const bareVersion = versionOutput('v1.30.2')['serverVersion'];
    const apiAnswer = snapshotFromDocuments([{ file: 'version.json', document: bareVersion }], {
      cluster: 'c',
      collectedAt,
    });
    expect(apiAnswer.parts.kubectl).toEqual({
      state: 'missing',
      reason:
        'the version output in version.json has no clientVersion (a bare GET /version answer, or a snapshot saved with --save-snapshot); save `kubectl version -o json` with the other files to check your kubectl',
    });
  });

  it('checks the first of two differing clientVersions and says which', () => {
    const snap = snapshotFromDocuments(
      [
        {
          file: 'a/version.json',
          document: versionOutput('v1.30.2', { clientVersion: 'v1.29.3' }),
        },
        {
          file: 'b/version.json',
          document: versionOutput('v1.30.2', { clientVersion: 'v1.31.0' }),
        },
      ],
      { cluster: 'c', collectedAt },
    );
    expect(snap.kubectl?.version.raw).toBe('v1.29.3');
    expect(snap.notes).toContain(
      'a/version.json and b/version.json hold `kubectl version` outputs with different clientVersions (v1.29.3 and v1.31.0); KubectlVersionSkew checks the one in a/version.json. Pass the output of the kubectl you use with this cluster.',
    );
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

  it('reads the clientVersion of `kubectl version -o yaml` output', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'version.yaml'),
      stringify(versionOutput('v1.31.2', { clientVersion: 'v1.27.16' })),
    );
    const snap = await collectFromFiles([dir], { collectedAt });
    expect(snap.parts.kubectl).toEqual({ state: 'collected' });
    expect(snap.kubectl?.version).toEqual({
      raw: 'v1.27.16',
      source: `kubectl version clientVersion (${join(dir, 'version.yaml')})`,
    });
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
    [
      'concat.json',
      '{"kind":"List","items":[]}\n{"kind":"List","items":[]}\n',
      /concat\.json: holds more than one JSON document; write each kubectl output to its own file/,
    ],
    [
      'nul.json',
      Buffer.from('{"k":1}', 'utf16le').toString('latin1'),
      /nul\.json: holds NUL bytes.*re-save it as UTF-8/,
    ],
    [
      'clientonly.json',
      readFileSync(join(FIXTURES, 'clientonly.json'), 'utf8'),
      /clientonly\.json: this `kubectl version` output has only clientVersion/,
    ],
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

  it('reads a folder passed twice without counting anything twice', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'version.json'), JSON.stringify(versionOutput('v1.30.2')));
    writeFileSync(
      join(dir, 'cluster.json'),
      JSON.stringify(list([node('a', 'v1.26.1'), kubeProxyPod('a', 'x/kube-proxy:v1.26.1')])),
    );
    // `get pods -n kube-system` beside `get nodes,pods -A`: the same pod in two files.
    writeFileSync(
      join(dir, 'kube-system-pods.json'),
      JSON.stringify(list([kubeProxyPod('a', 'x/kube-proxy:v1.26.1')])),
    );
    const snap = await collectFromFiles([dir, `${dir}/`], { collectedAt });
    expect(snap.nodes).toHaveLength(1);
    expect(snap.pods).toHaveLength(1);
    expect(snap.notes).toContainEqual(expect.stringMatching(/^ignored 4 duplicate objects/));
  });

  it.each([
    ['a UTF-8 BOM in JSON', 'bom.json'],
    ['a UTF-8 BOM in YAML', 'bom.yaml'],
    ['UTF-16 LE from Windows PowerShell', 'u16.json'],
  ])('reads kubectl version output with %s', async (_name, file) => {
    const [doc] = await readInputs([join(FIXTURES, file)]);
    expect(doc?.document).toMatchObject({ serverVersion: { gitVersion: 'v1.30.2' } });
  });

  it('checks the nodes of a UTF-16 file instead of ignoring it', async () => {
    const snap = await collectFromFiles(
      [join(FIXTURES, 'u16nodes.json'), join(FIXTURES, 'u16.json')],
      { collectedAt },
    );
    expect(snap.nodes.map((n) => n.kubeletVersion.raw)).toEqual(['v1.26.4']);
    expect(snap.controlPlane[0]?.version.raw).toBe('v1.30.2');
  });

  it('reads UTF-16 BE with a BOM and UTF-16 from standard input', async () => {
    const dir = tempDir();
    const text = JSON.stringify(list([node('a', 'v1.30.1')]));
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    writeFileSync(join(dir, 'be.json'), be);
    expect(await readInputs([join(dir, 'be.json')])).toEqual([
      { file: join(dir, 'be.json'), document: JSON.parse(text) as unknown },
    ]);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(await readInputs(['-'], async () => le)).toEqual([
      { file: '<stdin>', document: JSON.parse(text) as unknown },
    ]);
  });

  it('rejects a repeated - instead of reading empty standard input the second time', async () => {
    const stdin = jest.fn(async () => '{}');
    const error = await readInputs(['-', 'x.json', '-'], stdin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      '--from-file -: is given 2 times, but standard input can be read only once; pass `--from-file -` once and save the other kubectl outputs to files',
    );
    expect(stdin).not.toHaveBeenCalled();
  });

  it('says subfolders are not searched when a folder holds only subfolders', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    copyFileSync(join(FIXTURES, 'bom.json'), join(dir, 'sub', 'version.json'));
    await expect(readInputs([dir])).rejects.toThrow(
      `${dir}: folder has no .json, .yaml or .yml files, only 1 subfolder, and subfolders are not searched; pass each subfolder with its own --from-file`,
    );
  });

  it('parses YAML documents and skips empty ones', () => {
    expect(parseText('x.yaml', '---\nkind: Node\nmetadata: {name: a}\n---\n')).toHaveLength(1);
  });
});

describe('saved snapshots', () => {
  const info = (cluster: string): Record<string, unknown> => ({
    ...SNAPSHOT_INFO,
    cluster,
    collectedAt: '2026-11-21T12:00:00.000Z',
    notes: ['pods were read in kube-system only'],
  });

  it('reads the description, and ignores it as an object of the cluster', () => {
    const docs = [{ file: 's.json', document: [info('prod'), list([node('n1', 'v1.30.1')])] }];
    expect(savedInfoOf(docs)).toEqual({
      cluster: 'prod',
      collectedAt: '2026-11-21T12:00:00.000Z',
      notes: ['pods were read in kube-system only'],
    });
    expect(classifyDocuments(docs).notes).toEqual([]);
  });

  it('refuses snapshots of two clusters replayed together', () => {
    const docs = [
      { file: 'a.json', document: [info('prod')] },
      { file: 'b.json', document: [info('lab')] },
    ];
    expect(() => savedInfoOf(docs)).toThrow(
      'a.json, b.json: hold snapshots saved from different clusters ("prod" and "lab")',
    );
  });
});
