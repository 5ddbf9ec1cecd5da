/** Runs every rule fixture (fires.*, quiet.*, skipped.*) under test/fixtures/rules through the engine. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterSnapshot, Finding, Policy } from '../../../lib/rules';
import { DEFAULT_POLICY, evaluate, findRule } from '../../../lib/rules';
import { snapshotOf } from '../../support/evaluate';

/** The fixture file format (docs/architecture.md, Conventions #6): kubectl documents in, expected findings of one rule out. */
interface RuleFixture {
  readonly description: string;
  readonly now?: string;
  readonly policy?: Partial<Policy>;
  readonly documents: readonly unknown[];
  /**
   * Snapshot fields kubectl input cannot carry (source failure counts, missing metrics, what the
   * AWS and metrics reads of the readiness rules return), merged over the snapshot the documents
   * build; `parts` is merged part by part.
   */
  readonly snapshot?: Partial<
    Pick<
      ClusterSnapshot,
      | 'sources'
      | 'metricsMissing'
      | 'parts'
      | 'platform'
      | 'deprecatedApis'
      | 'addons'
      | 'manifests'
    >
  >;
  readonly expect?: readonly Record<string, unknown>[];
  /** For `skipped.*` fixtures: what the skipped reason must contain. */
  readonly expectSkipReason?: string;
}

const ROOT = join(__dirname, '../../fixtures/rules');

/** Every fixture as [ruleId, file name]. */
function fixtureFiles(): [string, string][] {
  if (!existsSync(ROOT)) return [];
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(ROOT, d.name))
        .filter((f) => /^(fires|quiet|skipped)\..+\.json$/.test(f))
        .map((f): [string, string] => [d.name, f]),
    );
}

function matches(finding: Finding, expected: Record<string, unknown>): boolean {
  try {
    expect(finding).toMatchObject(expected);
    return true;
  } catch {
    return false;
  }
}

describe('rule fixtures', () => {
  it.each(fixtureFiles())('%s/%s', (ruleId, file) => {
    const fixture = JSON.parse(readFileSync(join(ROOT, ruleId, file), 'utf8')) as RuleFixture;
    expect(findRule(ruleId)).toBeDefined();
    const now = Date.parse(fixture.now ?? '2026-11-21T12:00:00Z');
    const policy: Policy = { ...DEFAULT_POLICY, ...fixture.policy };
    const base = snapshotOf(fixture.documents, 'fixture');
    const snapshot = {
      ...base,
      ...fixture.snapshot,
      parts: { ...base.parts, ...fixture.snapshot?.parts },
    };
    const result = evaluate(snapshot, policy, now);
    const coverage = result.coverage.find((c) => c.ruleId === ruleId);
    if (file.startsWith('skipped.')) {
      // Missing data is reported as skipped with what to supply, never as a pass.
      expect(coverage).toMatchObject({ ruleId, status: 'skipped' });
      expect(coverage?.status === 'skipped' ? coverage.reason : '').toContain(
        fixture.expectSkipReason ?? '',
      );
      expect(fixture.expectSkipReason?.length ?? 0).toBeGreaterThan(0);
      expect(result.findings.filter((f) => f.ruleId === ruleId)).toEqual([]);
      return;
    }
    expect(coverage).toEqual({ ruleId, status: 'evaluated' });
    const findings = result.findings.filter((f) => f.ruleId === ruleId);
    if (file.startsWith('quiet.')) {
      expect(findings).toEqual([]);
      return;
    }
    const expected = fixture.expect ?? [];
    expect(expected.length).toBeGreaterThan(0);
    expect(findings).toHaveLength(expected.length);
    for (const e of expected) {
      const found = findings.some((f) => matches(f, e));
      if (!found) expect(findings).toContainEqual(expect.objectContaining(e));
    }
  });
});
