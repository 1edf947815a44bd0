/**
 * `npm test` on a machine without a Chromium or FashionMNIST stops in its first seconds with one
 * line naming what to install (scripts/test-prerequisites.mjs), instead of hundreds of failures.
 * The script is run as `npm test` runs it, with what this machine has hidden from its finder and
 * the network off, so nothing can be fetched.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/test-prerequisites.mjs');

function run(args: string[], env: Record<string, string>) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { ...r, seconds: (Date.now() - started) / 1000 };
}

describe('npm test prerequisites', () => {
  const bare = {
    LENET_TEST_PREREQ_HIDE: '1',
    LENET_TEST_PREREQ_OFFLINE: '1',
    LENET_TEST_PREREQ_DATASET_DIR: join(mkdtempSync(join(tmpdir(), 'lenet-prereq-')), 'fashion-mnist'),
  };

  it('without Chromium and FashionMNIST: one line naming both, in seconds, and the failed count', () => {
    const r = run([], bare);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^npm test needs a Chromium \(apt-get install chromium.*\) and FashionMNIST in .*fashion-mnist \(apt-get install dataset-fashion-mnist/,
    );
    expect(r.stdout.trim()).toBe('0 passed, 1 failed');
    expect(r.seconds).toBeLessThan(10);
  });

  it('asks only for what the chosen projects use', () => {
    expect(run(['--project', 'unit'], bare).status).toBe(0);
    const integration = run(['--project', 'integration'], bare);
    expect(integration.status).toBe(1);
    expect(integration.stderr).toContain('FashionMNIST');
    expect(integration.stderr).not.toContain('Chromium');
  });

  it('passes on this machine, where both are installed', () => {
    const r = run([], {});
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
