/**
 * Finding the four files without reading them: the status bar asks often, so this only stats.
 * A folder the user chose is the only one looked in (it is what they asked for); without one, the
 * app's cache, then the system-wide copy.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DATASET_FILES, type DatasetFile, type DatasetIdentity } from '../../shared/training';
import { SYSTEM_DATASET_DIR } from './official';

/** Where to look; every folder is optional. */
export interface DatasetLocationOptions {
  /** A folder the user chose (source 'user'). */
  dataDir?: string;
  /** The app's cache folder, where downloads go (source 'cache'). */
  cacheDir?: string;
  /** The system-wide copy (source 'system'); default `/usr/share/datasets/fashion-mnist`. */
  systemDir?: string;
}

export type DatasetSource = DatasetIdentity['source'];

/** A folder holding all four files, and the path chosen for each. */
export interface LocatedDataset {
  dir: string;
  source: DatasetSource;
  files: Record<DatasetFile, string>;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The path of `name` in `dir`, accepting the raw file or `name.gz`. The raw one wins when both
 * exist: reading it skips a decompression.
 */
export async function findDatasetFile(dir: string, name: DatasetFile): Promise<string | null> {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    if (await isFile(candidate)) return candidate;
  }
  return null;
}

/** All four files of `dir`, or the names of the missing ones. */
export async function inspectFolder(
  dir: string,
): Promise<{ files: Record<DatasetFile, string>; missing: [] } | { files: null; missing: DatasetFile[] }> {
  const found = await Promise.all(DATASET_FILES.map((name) => findDatasetFile(dir, name)));
  const missing = DATASET_FILES.filter((_, i) => found[i] === null);
  if (missing.length > 0) return { files: null, missing };
  const files = Object.fromEntries(DATASET_FILES.map((name, i) => [name, found[i]!])) as Record<DatasetFile, string>;
  return { files, missing: [] };
}

/**
 * The folders to try, in order, each with the source it reports. A chosen folder is tried alone:
 * falling back to another copy would train on data the user did not pick.
 */
export function candidateFolders(opts: DatasetLocationOptions = {}): { dir: string; source: DatasetSource }[] {
  if (opts.dataDir) return [{ dir: opts.dataDir, source: 'user' }];
  const candidates: { dir: string; source: DatasetSource }[] = [];
  if (opts.cacheDir) candidates.push({ dir: opts.cacheDir, source: 'cache' });
  candidates.push({ dir: opts.systemDir ?? SYSTEM_DATASET_DIR, source: 'system' });
  return candidates;
}

/**
 * Why the folder the user chose cannot be used (it does not exist, is not a folder, or lacks
 * files), naming the files; null when it holds all four. The caller names the folder.
 */
export async function chosenFolderProblem(dir: string): Promise<string | null> {
  const kind = await stat(dir).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    () => 'missing',
  );
  if (kind === 'missing') return 'the chosen dataset folder does not exist';
  if (kind === 'file') return 'the chosen dataset folder is a file, not a folder';
  const { missing } = await inspectFolder(dir);
  if (missing.length === 0) return null;
  return (
    `the chosen dataset folder lacks ${missing.join(', ')} (raw or .gz); ` +
    'add the missing file(s) or choose another folder'
  );
}

/**
 * The first of `candidateFolders` that holds all four files, or null.
 * @param onSkip told about each folder passed over for missing files
 */
export async function locateDatasetFiles(
  opts: DatasetLocationOptions = {},
  onSkip?: (dir: string, source: DatasetSource, missing: DatasetFile[]) => void,
): Promise<LocatedDataset | null> {
  for (const { dir, source } of candidateFolders(opts)) {
    const result = await inspectFolder(dir);
    if (result.files) return { dir, source, files: result.files };
    onSkip?.(dir, source, result.missing);
  }
  return null;
}
