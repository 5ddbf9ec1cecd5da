/**
 * Issue 4: collects a 5,000-node, 10,000-workload cluster from the test API server and reports
 * pages fetched, bytes, time and peak heap. Run: npx tsx bench/collect-kubernetes.ts [nodes] [workloads]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../lib/collect/kube-connect';
import { collectFromKubernetes } from '../lib/collect/kubernetes';
import { startKubeApiServer } from '../test/support/kube-api-server';
import { syntheticCluster } from './synthetic-cluster';

async function main(): Promise<void> {
  const nodes = Number(process.argv[2] ?? 5000);
  const workloads = Number(process.argv[3] ?? 10000);
  const server = await startKubeApiServer({
    objects: syntheticCluster({ nodes, workloads }),
    version: 'v1.30.4-eks-a737599',
  });
  const kubeconfig = await server.writeKubeconfig(mkdtempSync(join(tmpdir(), 'skewguard-bench-')));
  global.gc?.();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  const started = performance.now();
  const target = await connect({ kind: 'kubeconfig', file: kubeconfig });
  const { snapshot, stats } = await collectFromKubernetes({
    cluster: 'bench',
    target,
    collectedAt: () => new Date().toISOString(),
  });
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  target.agent.destroy();
  const pages = server.requests.filter((r) => r.query['limit'] !== undefined).length;
  await server.stop();
  const mb = (b: number): string => (b / 1024 / 1024).toFixed(1);
  console.log(
    JSON.stringify(
      {
        nodes: snapshot.nodes.length,
        workloads: snapshot.workloads.length,
        podsRead: snapshot.pods.length,
        pagesFetched: pages,
        requests: stats.requests,
        mbRead: mb(stats.bytes),
        seconds: (ms / 1000).toFixed(2),
        peakHeapAboveBaselineMb: mb(peak - baseline),
        note: 'the test API server runs in this process too; its heap is included',
      },
      null,
      2,
    ),
  );
}

void main();
