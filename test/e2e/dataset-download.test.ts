/**
 * The Dataset place on a machine without FashionMNIST: it says so, downloads the four files with a
 * progress bar (from a local server standing in for the official bucket, serving the real files),
 * verifies them as the official data, and the status bar follows.
 */
import { DECODED_SUBDIR } from '../../src/core/dataset/load';
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_DATASET_DIR } from '../../src/core/dataset';
import { openStudio, type StudioPage } from '../support/studio-page';

const haveData = (() => {
  try {
    return readdirSync(SYSTEM_DATASET_DIR).filter((f) => f.endsWith('.gz')).length === 4;
  } catch {
    return false;
  }
})();

describe.skipIf(!haveData)('downloading FashionMNIST from the Dataset place', () => {
  let server: Server;
  let studio: StudioPage;
  const emptySystemDir = mkdtempSync(join(tmpdir(), 'lenet-nodata-'));
  const requested: string[] = [];

  beforeAll(async () => {
    // Serve in small slices so the page sees progress, as over a real network.
    server = createServer((req, res) => {
      const name = (req.url ?? '/').slice(1);
      requested.push(name);
      const file = join(SYSTEM_DATASET_DIR, name);
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
      const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
      stream.on('data', (chunk) => {
        stream.pause();
        res.write(chunk, () => setTimeout(() => stream.resume(), 15));
      });
      stream.on('end', () => res.end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    studio = await openStudio({
      label: 'dataset-download',
      systemDir: emptySystemDir,
      datasetBaseUrl: `http://127.0.0.1:${port}/`,
    });
  });
  afterAll(async () => {
    await studio?.close();
    server?.close();
    rmSync(emptySystemDir, { recursive: true, force: true });
  });

  it('shows not-found, downloads with progress, and verifies the official data', async () => {
    const { page } = studio;
    await expect.poll(() => page.getByTestId('status-dataset').textContent()).toContain('not found');
    await page.getByTestId('nav-dataset').click();
    await page.getByTestId('dataset-download').waitFor();
    await studio.screenshot('not-found');
    await page.getByTestId('dataset-download').click();
    await page.getByTestId('dataset-progress').waitFor();
    await studio.screenshot('progress');
    // main's progress events cross from its process to the page: they may trail the bar's first paint.
    await expect.poll(() => studio.sent.some((s) => s.channel === 'dataset:progress')).toBe(true);
    await expect
      .poll(() => page.getByTestId('dataset-official').textContent(), { timeout: 120_000 })
      .toMatch(/official/i);
    expect(await page.getByTestId('dataset-source').textContent()).toMatch(/download|cache/i);
    expect(requested.sort()).toEqual([
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
    ]);
    // Written atomically into the app's cache: the four files, no partial leftovers.
    const cached = readdirSync(join(studio.userDataDir, 'datasets', 'fashion-mnist'))
      .filter((f) => f !== DECODED_SUBDIR) // the decompressed copies the loader keeps
      .sort();
    expect(cached).toEqual(requested.sort());
    await expect
      .poll(() => page.getByTestId('status-dataset').getAttribute('title'))
      .toContain(join(studio.userDataDir, 'datasets'));
    expect(await page.getByTestId('status-dataset').textContent()).toContain('…/datasets/fashion-mnist');
    await studio.screenshot('downloaded');
  });
});
