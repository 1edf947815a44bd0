/**
 * The downloader against a real HTTP server on 127.0.0.1 (this machine has no internet, and a
 * test should not depend on Zalando's bucket anyway): progress, atomic placement, validation.
 */
import { DECODED_SUBDIR } from '../../src/core/dataset/load';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatasetError,
  SYSTEM_DATASET_DIR,
  clearFashionMnistCache,
  downloadFashionMnist,
  loadFashionMnist,
} from '../../src/core/dataset';
import { idxImages, writeSyntheticDataset } from './dataset-fixtures';

/** What the server answers for a path: body, and whether to send Content-Length / send slowly. */
type Route = { body: Uint8Array; contentLength?: boolean; slow?: boolean; status?: number };
const routes = new Map<string, Route>();
let server: Server;
let baseUrl: string;
let root: string;
let synthetic: Record<string, Buffer>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lenet-download-'));
  synthetic = await writeSyntheticDataset(join(root, 'source'), { train: 60, test: 20 });
  server = createServer(async (req, res) => {
    const route = routes.get(req.url ?? '');
    if (!route) {
      res.writeHead(404, 'Not Found').end();
      return;
    }
    const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream' };
    if (route.contentLength !== false) headers['content-length'] = route.body.length;
    res.writeHead(route.status ?? 200, headers);
    if (!route.slow) {
      res.end(route.body);
      return;
    }
    // Three pieces 150 ms apart, longer than the 100 ms progress interval, so progress is seen mid-file.
    const third = Math.ceil(route.body.length / 3);
    for (let i = 0; i < 3; i++) {
      res.write(route.body.subarray(i * third, (i + 1) * third));
      await new Promise((r) => setTimeout(r, 150));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fashion/`;
});

afterAll(async () => {
  clearFashionMnistCache();
  await new Promise((r) => server.close(r));
  await rm(root, { recursive: true, force: true });
});

function serveSynthetic(opts: Omit<Route, 'body'> = {}): void {
  routes.clear();
  for (const [name, bytes] of Object.entries(synthetic))
    routes.set(`/fashion/${name}.gz`, { body: gzipSync(bytes), ...opts });
}

describe('downloading FashionMNIST', () => {
  it('reports progress, writes atomically into the cache, and the loader identifies the data', async () => {
    serveSynthetic({ slow: true });
    const cacheDir = join(root, 'cache-1');
    const progress: { file: string; received: number; total: number | null }[] = [];
    const fetched: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      fetched.push(String(input));
      return fetch(input, init);
    };
    const data = await loadFashionMnist({
      cacheDir,
      systemDir: join(root, 'no-system'),
      baseUrl,
      fetch: recordingFetch,
      strictCounts: false,
      onProgress: (file, received, total) => {
        progress.push({ file, received, total });
        // Until the last byte is in, the final file must not exist: readers never see half a file.
        if (total !== null && received < total) expect(existsSync(join(cacheDir, file))).toBe(false);
      },
    });

    expect(fetched).toEqual([
      `${baseUrl}train-images-idx3-ubyte.gz`,
      `${baseUrl}train-labels-idx1-ubyte.gz`,
      `${baseUrl}t10k-images-idx3-ubyte.gz`,
      `${baseUrl}t10k-labels-idx1-ubyte.gz`,
    ]);
    const images = progress.filter((p) => p.file === 'train-images-idx3-ubyte.gz');
    const size = routes.get('/fashion/train-images-idx3-ubyte.gz')!.body.length;
    expect(images.length).toBeGreaterThanOrEqual(3); // start, at least one mid-file, end
    expect(images.some((p) => p.received > 0 && p.received < size)).toBe(true);
    expect(images.at(-1)).toEqual({ file: 'train-images-idx3-ubyte.gz', received: size, total: size });
    expect(images.every((p, i) => i === 0 || p.received >= images[i - 1].received)).toBe(true);

    // Only the four final files: no temporary leftovers.
    expect((await readdir(cacheDir)).filter((f) => f !== DECODED_SUBDIR).sort()).toEqual([
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
    ]);
    expect(await readFile(join(cacheDir, 'train-labels-idx1-ubyte.gz'))).toEqual(
      routes.get('/fashion/train-labels-idx1-ubyte.gz')!.body,
    );
    expect(data.identity.source).toBe('download');
    expect(data.identity.dir).toBe(cacheDir);
    expect(data.identity.official).toBe(false);
    expect(data.train.count).toBe(60);

    // Next time the cache is found without downloading.
    routes.clear();
    const again = await loadFashionMnist({
      cacheDir,
      systemDir: join(root, 'no-system'),
      baseUrl,
      strictCounts: false,
    });
    expect(again.identity.source).toBe('cache');
    expect(again.identity.sha256).toEqual(data.identity.sha256);
  });

  it('reports a null total when the server sends no Content-Length, and only fetches missing files', async () => {
    serveSynthetic({ contentLength: false });
    const cacheDir = join(root, 'cache-2');
    await writeSyntheticDataset(cacheDir, { train: 60, test: 20, gzip: true });
    await rm(join(cacheDir, 't10k-labels-idx1-ubyte.gz'));
    const progress: (number | null)[] = [];
    const paths = await downloadFashionMnist({
      cacheDir,
      baseUrl,
      strictCounts: false,
      onProgress: (_f, _r, total) => progress.push(total),
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((t) => t === null)).toBe(true);
    expect(paths['t10k-labels-idx1-ubyte']).toBe(join(cacheDir, 't10k-labels-idx1-ubyte.gz'));
  });

  it('a truncated download is rejected and leaves nothing in the cache', async () => {
    serveSynthetic();
    const gz = gzipSync(synthetic['train-images-idx3-ubyte']);
    routes.set('/fashion/train-images-idx3-ubyte.gz', { body: gz.subarray(0, gz.length - 40) });
    const cacheDir = join(root, 'cache-3');
    const error = await downloadFashionMnist({ cacheDir, baseUrl, strictCounts: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toMatch(/^train-images-idx3-ubyte\.gz: downloaded file is corrupt gzip data/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('a download with the wrong content is rejected with the IDX problem', async () => {
    serveSynthetic();
    routes.set('/fashion/train-images-idx3-ubyte.gz', { body: gzipSync(idxImages(5)) });
    const error = await downloadFashionMnist({ cacheDir: join(root, 'cache-4'), baseUrl }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('train-images-idx3-ubyte.gz: header says 5 images, expected 60,000');
  });

  it('HTTP errors and unreachable servers name the URL', async () => {
    routes.clear();
    const notFound = await downloadFashionMnist({ cacheDir: join(root, 'cache-5'), baseUrl }).catch((e: unknown) => e);
    expect((notFound as Error).message).toBe(
      `${baseUrl}train-images-idx3-ubyte.gz: download failed: HTTP 404 Not Found`,
    );
    // A port that was free a moment ago: nothing listens there now.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const deadUrl = `http://127.0.0.1:${port}/`;
    const unreachable = await downloadFashionMnist({ cacheDir: join(root, 'cache-5'), baseUrl: deadUrl }).catch(
      (e: unknown) => e,
    );
    expect(unreachable).toBeInstanceOf(DatasetError);
    expect((unreachable as Error).message).toMatch(
      new RegExp(`^${deadUrl}train-images-idx3-ubyte\\.gz: download failed \\(fetch failed: .*ECONNREFUSED`),
    );
  });

  it('no cache folder: a clear error instead of a download', async () => {
    const error = await loadFashionMnist({ systemDir: join(root, 'no-system'), baseUrl }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `${join(root, 'no-system')}: FashionMNIST not found, and there is no cache folder to download it into`,
    );
  });

  // Serving the real files proves the checksum path end to end: downloaded = official.
  it.skipIf(!existsSync(SYSTEM_DATASET_DIR))(
    'downloading the official files gives official: true (skipped without the Debian dataset-fashion-mnist package to serve)',
    async () => {
      routes.clear();
      for (const name of [
        'train-images-idx3-ubyte',
        'train-labels-idx1-ubyte',
        't10k-images-idx3-ubyte',
        't10k-labels-idx1-ubyte',
      ]) {
        routes.set(`/fashion/${name}.gz`, { body: await readFile(join(SYSTEM_DATASET_DIR, `${name}.gz`)) });
      }
      const cacheDir = join(root, 'cache-official');
      const data = await loadFashionMnist({ cacheDir, systemDir: join(root, 'no-system'), baseUrl });
      expect(data.identity.source).toBe('download');
      expect(data.identity.official).toBe(true);
      expect(data.identity.sha256['train-images-idx3-ubyte']).toBe(
        'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
      );
    },
  );
});
