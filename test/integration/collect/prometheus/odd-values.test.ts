/** PrometheusClient on NaN and ±Inf sample values: such samples are skipped with a warning naming the query, series and server. */
import { PrometheusClient } from '../../../../lib/collect/prometheus/client';
import type { FaultServer } from '../../../support/prometheus-fault-server';
import { FAST, ok, startFaultServer } from '../../../support/prometheus-fault-server';

let server: FaultServer | undefined;
afterEach(async () => server?.close());

const ODD = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'vector',
    result: [
      { metric: { node: 'a' }, value: [1795262400, '1795262000'] },
      { metric: { node: 'b' }, value: [1795262400, 'NaN'] },
      { metric: { node: 'c' }, value: [1795262400, '+Inf'] },
    ],
  },
});

describe('PrometheusClient with odd sample values', () => {
  it('skips NaN and +Inf samples with a warning naming the query, series and server', async () => {
    server = await startFaultServer(() => ok(ODD));
    const client = await PrometheusClient.create({
      url: server.url,
      auth: { type: 'none' },
      policy: FAST,
    });
    const result = await client.instant('kube_node_created');
    expect(result.samples).toEqual([{ metric: { node: 'a' }, value: 1795262000 }]);
    expect(result.warnings).toEqual([
      `skipped the sample {node="b"} of "kube_node_created" from ${server.url}: its value is NaN, not a finite number`,
      `skipped the sample {node="c"} of "kube_node_created" from ${server.url}: its value is Infinity, not a finite number`,
    ]);
  });
});
