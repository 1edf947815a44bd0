/**
 * Fetching the four official files into the app's cache. A download is validated as IDX before it
 * is renamed into place, so the cache only ever holds complete, well-formed files: an interrupted
 * or corrupt transfer leaves nothing behind for the next run to trip over.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../save-file';
import { DATASET_FILES, type DatasetFile } from '../../shared/training';
import { DatasetError, formatCount } from './errors';
import { decodeIdxImages, decodeIdxLabels, isGzip } from './idx';
import { findDatasetFile } from './locate';
import { OFFICIAL_BASE_URL, officialFileLayout } from './official';
import { gunzipSync } from 'node:zlib';

/** Progress of one file; `total` is null when the server sends no Content-Length. */
export type DownloadProgress = (file: string, received: number, total: number | null) => void;

export interface DownloadOptions {
  /** Folder the files are written into (created if missing). */
  cacheDir: string;
  /** Default: the official Zalando bucket. Tests point it at a local server. */
  baseUrl?: string;
  /** Default: the global fetch. Injectable so tests and proxies can replace the transport. */
  fetch?: typeof fetch;
  /** Which files to fetch; default: those not already in `cacheDir`. */
  files?: readonly DatasetFile[];
  /** false: accept valid IDX of any count (tests with small files). Default true: 60,000/10,000. */
  strictCounts?: boolean;
  onProgress?: DownloadProgress;
  signal?: AbortSignal;
}

/** Progress callbacks at most this often (plus the first and last), to keep IPC traffic sane. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Download the missing `*-ubyte.gz` files into `cacheDir`, one after another.
 * Each is written to a temporary file in the same folder and renamed into place only after it
 * decodes as valid IDX, so readers never see a half-written file.
 * @returns the path of every file in the cache (downloaded or already present)
 * @throws DatasetError naming the URL (transfer failures) or the file (invalid content)
 */
export async function downloadFashionMnist(opts: DownloadOptions): Promise<Record<DatasetFile, string>> {
  const baseUrl = ensureTrailingSlash(opts.baseUrl ?? OFFICIAL_BASE_URL);
  await mkdir(opts.cacheDir, { recursive: true });
  const paths = {} as Record<DatasetFile, string>;
  for (const name of DATASET_FILES) {
    const existing = await findDatasetFile(opts.cacheDir, name);
    const wanted = opts.files ? opts.files.includes(name) : existing === null;
    if (!wanted && existing) {
      paths[name] = existing;
      continue;
    }
    paths[name] = await downloadOne(name, `${baseUrl}${name}.gz`, opts);
  }
  return paths;
}

function ensureTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

async function downloadOne(name: DatasetFile, url: string, opts: DownloadOptions): Promise<string> {
  const fileName = `${name}.gz`;
  const body = await fetchWithProgress(fileName, url, opts);
  validateDownload(fileName, name, body, opts.strictCounts ?? true);

  const target = join(opts.cacheDir, isGzip(body) ? fileName : name);
  try {
    // Whole or not there; a full disk gets the temporary file's space back.
    await writeFileAtomic(target, body);
  } catch (error) {
    throw new DatasetError(target, `cannot be written (${(error as Error).message})`, { cause: error });
  }
  return target;
}

async function fetchWithProgress(fileName: string, url: string, opts: DownloadOptions): Promise<Uint8Array> {
  const doFetch = opts.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, { signal: opts.signal });
  } catch (error) {
    throw new DatasetError(url, `download failed (${describeFetchError(error)})`, { cause: error });
  }
  if (!response.ok || !response.body) {
    throw new DatasetError(url, `download failed: HTTP ${response.status} ${response.statusText}`.trimEnd());
  }
  const lengthHeader = response.headers.get('content-length');
  const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;

  const chunks: Uint8Array[] = [];
  let received = 0;
  let lastReport = 0;
  opts.onProgress?.(fileName, 0, total);
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
      received += chunk.length;
      const now = Date.now();
      if (now - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = now;
        opts.onProgress?.(fileName, received, total);
      }
    }
  } catch (error) {
    throw new DatasetError(
      url,
      `download interrupted after ${formatCount(received)} bytes (${describeFetchError(error)})`,
      {
        cause: error,
      },
    );
  }
  opts.onProgress?.(fileName, received, total);
  if (total !== null && received !== total) {
    throw new DatasetError(
      url,
      `download incomplete: received ${formatCount(received)} of ${formatCount(total)} bytes`,
    );
  }
  return Buffer.concat(chunks);
}

function describeFetchError(error: unknown): string {
  const e = error as Error & { cause?: { message?: string } };
  // undici hides the useful part ("ECONNREFUSED …") in `cause`.
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : String(e?.message ?? error);
}

/** Throws the same DatasetError the loader would, before anything reaches the cache. */
function validateDownload(fileName: string, name: DatasetFile, body: Uint8Array, strictCounts: boolean): void {
  let bytes = body;
  if (isGzip(body)) {
    try {
      // Sync is fine here: a download is rare and the trainer is busy waiting for it anyway.
      bytes = gunzipSync(body);
    } catch (error) {
      throw new DatasetError(fileName, `downloaded file is corrupt gzip data (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
  const layout = officialFileLayout(name);
  const expected = strictCounts ? layout.count : undefined;
  if (layout.kind === 'images') decodeIdxImages(bytes, fileName, expected);
  else decodeIdxLabels(bytes, fileName, expected);
}
