/**
 * The Electron security gate: no medium or high electronegativity finding
 * without a written reason, no reason left behind by code that changed, and
 * every file of the Electron shell actually parsed by the tool.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  describeFinding,
  electronVersion,
  runElectronegativity,
  staleSuppressions,
  unsuppressed,
  type GateReport,
} from '../../../scripts/electronegativity';
import { SUPPRESSIONS } from './electronegativity-suppressions';

describe('electronegativity gate (offline, Electron version pinned)', () => {
  let report: GateReport;

  before(async () => {
    report = await runElectronegativity();
  });

  it('scans as the Electron we ship', () => {
    assert.match(electronVersion(), /^45\.\d+\.\d+$/);
  });

  it('parses every file that runs in Electron, so none goes unchecked', () => {
    assert.deepEqual(report.unparsed, []);
  });

  it('writes a SARIF report holding every finding', () => {
    const sarif = JSON.parse(report.sarif) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0]?.results ?? [];
    assert.equal(results.length, report.findings.length + report.minor);
    for (const f of report.findings)
      assert.ok(
        results.some((r) => r.ruleId === f.rule),
        f.rule,
      );
  });

  it('finds no medium or high issue that lacks a written reason', () => {
    assert.deepEqual(unsuppressed(report.findings, SUPPRESSIONS).map(describeFinding), []);
  });

  it('keeps no suppression that matches nothing any more', () => {
    assert.deepEqual(staleSuppressions(report.findings, SUPPRESSIONS), []);
  });

  it('gives every suppression a reason', () => {
    for (const s of SUPPRESSIONS) assert.ok(s.reason.length > 30, `${s.file} ${s.rule}`);
  });
});
