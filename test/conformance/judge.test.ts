/**
 * How scripts/conformance.mjs judges one tfjs test file from its three runs (stock, ours on 1 and
 * 2 threads) and the known-failures list: which outcomes fail the run.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { judgeFile } from '../../scripts/conformance.mjs';

type Status = 'passed' | 'failed' | 'skipped';

/** Three runs of file `f` where each case has the statuses given for stock, ours-1, ours-2. */
function runs(cases: Record<string, [Status, Status, Status]>, finished = [true, true, true]) {
  return ['stock', 'ours-1', 'ours-2'].map((configuration, i) => ({
    configuration,
    exit: finished[i] ? 0 : 'killed (SIGKILL)',
    stderr: '',
    lines: [
      ...Object.entries(cases)
        .filter(([, s]) => s[i] !== undefined)
        .map(([name, s]) => ({
          kind: 'case',
          name,
          status: s[i],
          ms: 1,
          message: s[i] === 'failed' ? 'boom' : undefined,
        })),
      ...(finished[i] ? [{ kind: 'done', ms: 10 }] : []),
    ],
  }));
}

const kinds = (verdict: { problems: { kind: string; case: string }[] }) =>
  verdict.problems.map((p) => `${p.kind}: ${p.case}`);

describe('conformance verdicts', () => {
  it('counts passes per configuration and lets ours pass where stock fails', () => {
    const verdict = judgeFile('f', runs({ a: ['passed', 'passed', 'passed'], b: ['failed', 'passed', 'passed'] }), {});
    expect(kinds(verdict)).toEqual([]);
    expect(verdict.counts).toMatchObject({ total: 2, stock: 1, 'ours-1': 2, 'ours-2': 2, oursBetter: 1 });
  });

  it('fails a case that passes on stock and fails with ours, on either thread count', () => {
    const verdict = judgeFile('f', runs({ a: ['passed', 'failed', 'failed'], b: ['passed', 'passed', 'failed'] }), {});
    expect(kinds(verdict)).toEqual(['regression: a', 'regression: b']);
  });

  it('fails a case whose result depends on the thread count, even where stock fails it', () => {
    expect(kinds(judgeFile('f', runs({ a: ['failed', 'passed', 'failed'] }), {}))).toEqual(['threads differ: a']);
  });

  it('fails a failure on all three that is not listed, and accepts a listed one', () => {
    const cases = runs({ a: ['failed', 'failed', 'failed'], b: ['failed', 'failed', 'failed'] });
    const verdict = judgeFile('f', cases, { f: { 'NCHW: the wasm backend lacks it': ['a'] } });
    expect(kinds(verdict)).toEqual(['new failure on both: b']);
    expect(verdict.counts.knownOnBoth).toBe(1);
  });

  it('fails a listed case that now passes somewhere, or no longer exists', () => {
    const verdict = judgeFile('f', runs({ a: ['failed', 'passed', 'passed'], c: ['passed', 'passed', 'passed'] }), {
      f: { reason: ['a', 'c', 'gone'] },
    });
    expect(kinds(verdict)).toEqual(['stale known failure: a', 'stale known failure: c', 'stale known failure: gone']);
  });

  it('counts a case a process never reported (it died first) as failed there, and says the process died', () => {
    const verdict = judgeFile(
      'f',
      runs({ a: ['passed', 'passed', 'passed'], b: ['passed', 'passed', undefined as unknown as Status] }, [
        true,
        true,
        false,
      ]),
      {},
    );
    expect(kinds(verdict)).toEqual(['regression: b', 'process: ']);
  });

  it('leaves cases skipped everywhere out of the counts', () => {
    const verdict = judgeFile(
      'f',
      runs({ a: ['skipped', 'skipped', 'skipped'], b: ['passed', 'passed', 'passed'] }),
      {},
    );
    expect(verdict.counts).toMatchObject({ total: 1, skipped: 1 });
  });
});
