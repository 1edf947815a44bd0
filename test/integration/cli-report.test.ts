/**
 * `npm run report`: a self-contained HTML report of real runs (two seeds of one configuration
 * and a third with another learning rate), opened in real Chromium with the network off. Every
 * chart and image must render and the page must make no request besides its own file.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium';
import { runCli } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'lenet-report-'));
const db = join(dir, 'studio.db');
const SCREENSHOTS = join(import.meta.dirname, '../../test-artifacts/screenshots');

function train(...extra: string[]): void {
  const r = runCli([
    'train',
    '--db',
    db,
    '--preset',
    'modern',
    '--train-subset',
    '2000',
    '--epochs',
    '2',
    '--batch-size',
    '64',
    '--validation-fraction',
    '0.1',
    '--backend',
    'wasm',
    ...extra,
  ]);
  if (r.status !== 0) throw new Error(`train failed: ${r.stderr}`);
}

describe('npm run report', () => {
  let browser: Browser;
  beforeAll(async () => {
    train('--seed', '1');
    train('--seed', '2');
    train('--seed', '1', '--lr', '0.0005');
    browser = await chromium.launch({ executablePath: findChromium()!, args: CHROMIUM_ARGS });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one self-contained file that renders offline with every chart and image and makes no request', async () => {
    const out = join(dir, 'two runs.html');
    const r = runCli(['report', '--db', db, '--runs', '1,2', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const bytes = statSync(out).size;
    expect(r.stdout).toContain(`wrote 2 runs to ${out}`);
    // The two-run report's size (stated in the report to the lead): well under a megabyte.
    expect(bytes).toBeLessThan(400_000);
    console.log(`two-run report: ${bytes} bytes`);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);

    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
    // Only the file itself: data: images are not requests of the network kind, and nothing else.
    expect(requests.filter((u) => !u.startsWith('data:'))).toEqual([pathToFileURL(out).href]);

    // Four charts, each with a line per run.
    const charts = await page.$$eval('svg[data-series]', (svgs) =>
      svgs.map((s) => ({
        series: Number(s.getAttribute('data-series')),
        lines: s.querySelectorAll('polyline').length,
        w: s.getBoundingClientRect().width,
      })),
    );
    expect(charts).toHaveLength(4);
    for (const c of charts) {
      expect(c.series).toBe(2);
      expect(c.w).toBeGreaterThan(100);
    }
    expect(charts[0]!.lines).toBe(2);
    // Every gallery image decoded (naturalWidth 28: the PNG is the 28×28 test image).
    const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ ok: i.complete, w: i.naturalWidth })));
    expect(images.length).toBeGreaterThanOrEqual(2 * 10);
    expect(images.every((i) => i.ok && i.w === 28)).toBe(true);
    // Two confusion matrices whose cells add up to the 10,000 test images each.
    const totals = await page.$$eval('table.cm', (tables) =>
      tables.map((t) =>
        [...t.querySelectorAll('tbody tr')]
          .slice(0, 10)
          .reduce(
            (sum, row) =>
              sum + [...row.querySelectorAll('td')].slice(0, 10).reduce((s, td) => s + Number(td.textContent), 0),
            0,
          ),
      ),
    );
    expect(totals).toEqual([10_000, 10_000]);
    // Seeds 1 and 2 of one configuration are one group of two; the settings diff names the seed.
    await expect(
      page.locator('section', { hasText: 'Seed groups' }).locator('td.num').first().textContent(),
    ).resolves.toMatch(/^\d+\.\d\d% ± \d+\.\d\d \(n=2\)$/);
    await expect(page.locator('tr.differs').allTextContents()).resolves.toEqual([expect.stringMatching(/^Seed/)]);
    await expect(page.getByText('wasm').first().isVisible()).resolves.toBe(true);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'report-two-runs.png'), fullPage: false });
    await page.locator('#run-1').screenshot({ path: join(SCREENSHOTS, 'report-run-matrix-gallery.png') });
    await context.close();
  });

  it('reports a run alone, and a comparison grouped by what sets the groups apart (the learning rate)', async () => {
    const out = join(dir, 'three.html');
    expect(runCli(['report', '--db', db, '--runs', '1,2,3', '--out', out]).status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<td>Learning rate 0.0005</td><td>#3</td>');
    expect(html).toMatch(/<td>Learning rate 0\.00[1-9]\d*<\/td><td>#1, #2<\/td>/);
    const single = join(dir, 'one.html');
    expect(runCli(['report', '--db', db, '--runs', '3', '--out', single]).status).toBe(0);
    expect(readFileSync(single, 'utf8')).toContain('<h2>Settings</h2>');
  });

  it('refuses a missing run, the database as the out file and an unwritable folder, each saying why, writing nothing', () => {
    const missing = runCli(['report', '--db', db, '--runs', '1,99', '--out', join(dir, 'missing.html')]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('Run 99 does not exist');
    expect(existsSync(join(dir, 'missing.html'))).toBe(false);

    const before = readFileSync(db);
    const overDb = runCli(['report', '--db', db, '--runs', '1', '--out', db]);
    expect(overDb.status).toBe(1);
    expect(overDb.stderr).toContain('is the run database: the studio will not write over its own files');
    expect(readFileSync(db).equals(before)).toBe(true);

    // A folder this user cannot write to: a 0500 folder, or for root (which ignores modes) sysfs.
    const locked = process.getuid?.() === 0 ? '/sys' : join(dir, 'locked');
    if (locked !== '/sys') {
      mkdirSync(locked);
      chmodSync(locked, 0o500);
    }
    const unwritable = runCli(['report', '--db', db, '--runs', '1', '--out', join(locked, 'lenet-report.html')]);
    expect(unwritable.status).toBe(1);
    expect(unwritable.stderr).toContain('could not be saved (the folder is not writable). Nothing was written there');
    expect(existsSync(join(locked, 'lenet-report.html'))).toBe(false);

    const typo = runCli(['report', '--db', db, '--run', '1', '--out', 'x.html']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('did you mean --runs?');
  });
});
