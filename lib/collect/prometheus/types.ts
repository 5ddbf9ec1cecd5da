/** The shapes Prometheus answers are read into, shared by the client, the query rounds and the snapshot builder. */
import type { SourceError } from '../errors';

/** One series of a vector result. */
export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One series of a matrix result. */
export interface RangeSeries {
  readonly metric: Readonly<Record<string, string>>;
  /** [epoch ms, value] pairs. */
  readonly values: readonly (readonly [number, number])[];
}

/** An instant query's series and the warnings Prometheus attached. */
export interface InstantResult {
  readonly samples: readonly Sample[];
  readonly warnings: readonly string[];
  /**
   * The server's own warnings (also in `warnings`): a partial answer from Thanos, Cortex or
   * Mimir when a store is down. The parts built from this query are then read in part.
   */
  readonly serverWarnings?: readonly string[];
  /** The evaluation time the server reported (epoch ms), when the result had a sample. */
  readonly evaluatedAt?: number;
}

/** Counters a caller reads after a collection. */
export interface PrometheusStats {
  requests: number;
  bytes: number;
  retries: number;
}

/** The answer to one query: its result, or why it failed. */
export type QueryOutcome =
  ({ readonly ok: true } & InstantResult) | { readonly ok: false; readonly error: SourceError };
