import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs helper shared with scripts/start.mjs
import { electronBinaryPath } from '../../scripts/electron-binary.mjs';

const ROOT = resolve(import.meta.dirname, '../..');

describe('npm start without an Electron runtime', () => {
  it.skipIf(electronBinaryPath() !== null)('says so in one line, with what to do, and exits non-zero', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, LENET_STUDIO_NO_DOWNLOAD: '1' },
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^lenet5-studio: no Electron runtime here .* run `npm start` again, or train headless with `npm run train/,
    );
  });
});
