/**
 * Which backend a run trains on, chosen by measurement rather than "tensorflow whenever it loads":
 * tfjs-node's libtensorflow can be slower than wasm for LeNet5's small convolutions, and which
 * wins depends on the network, the batch size and the threads (`npm run bench -- engine` shows both
 * side by side). So each backend that loads trains a few batches of the run's configuration
 * (./measure.ts) and the fastest is used.
 *
 * The answer is cached in a small JSON file (the app's data folder; the CLI's is beside the
 * database) under a key of the machine (CPU model and core count), the tfjs version and the
 * configuration's part that matters for speed (model variant, batch size, threads), so a cached
 * answer is reused rather than measured again. An unreadable cache is a warning and a
 * re-measurement, never a failed run. A forced backend (`--backend`, tests, benches) is used as
 * asked, unmeasured.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../../../shared/canonical-json';
import type { Hyperparams } from '../../../shared/hyperparams';
import { BACKENDS, type BackendName } from '../../../shared/training';
import type { SelectedBackend } from './types';
import { wasmStepKind } from '../fused/lenet-step';

/** Backends that compete; `cpu` is only a numerical reference (~16 images/s) or a last resort. */
export const MEASURED_BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm'];

const measurementsSchema = z.partialRecord(z.enum(BACKENDS), z.number().positive());
const entrySchema = z.object({
  backend: z.enum(BACKENDS),
  /** Training images/s of each backend measured. */
  imagesPerSec: measurementsSchema,
  measuredAt: z.string(),
});
const fileSchema = z.object({ version: z.literal(1), entries: z.record(z.string(), entrySchema) });
export type ChoiceEntry = z.infer<typeof entrySchema>;
export type Measurements = z.infer<typeof measurementsSchema>;

/** What identifies "this machine" for a speed answer. */
export function machineIdentity(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() || 'unknown cpu'} ×${os.availableParallelism()}`;
}

/**
 * The cache key: machine, tfjs version, and the configuration's part that changes the speed
 * (network, batch size, threads, and whether wasm runs it as the fused step).
 */
export function choiceKey(
  config: Hyperparams,
  threads: number,
  tfjsVersion: string,
  machine: string = machineIdentity(),
): string {
  return `${machine} | tfjs ${tfjsVersion} | ${canonicalJson(config.model)} | batch ${config.batchSize} | threads ${threads} | wasm ${wasmStepKind(config)}`;
}

/** The JSON file of past answers. Reads once; every `set` rewrites it whole (write, then rename). */
export class ChoiceCache {
  private entries: Record<string, ChoiceEntry> | null = null;

  constructor(
    readonly file: string,
    private readonly warn: (message: string) => void,
  ) {}

  private load(): Record<string, ChoiceEntry> {
    if (this.entries) return this.entries;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return (this.entries = {}); // no answers yet
    }
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'not a backend-choice file');
      return (this.entries = parsed.data.entries);
    } catch (err) {
      this.warn(
        `the backend-choice cache ${this.file} is unreadable (${(err as Error).message}); measuring again and rewriting it`,
      );
      return (this.entries = {});
    }
  }

  get(key: string): ChoiceEntry | undefined {
    return this.load()[key];
  }

  set(key: string, entry: ChoiceEntry): void {
    const entries = { ...this.load(), [key]: entry };
    this.entries = entries;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const partial = `${this.file}.${process.pid}.tmp`;
      writeFileSync(partial, `${JSON.stringify({ version: 1, entries }, null, 2)}\n`);
      renameSync(partial, this.file);
    } catch (err) {
      this.warn(`could not save the backend choice in ${this.file}: ${(err as Error).message}`);
    }
  }
}

export interface BackendChoice {
  backend: SelectedBackend;
  /** How it was chosen, recorded with the run and shown while it trains. */
  description: string;
}

export interface ChooseOptions {
  /** Use this backend as it is, unmeasured (`--backend`). */
  forced?: BackendName;
  key: string;
  /** Without one, every start measures. */
  cache?: ChoiceCache;
  /** Make the backend active; throws when it cannot load. */
  load(name: BackendName): Promise<SelectedBackend>;
  /** Training images/s of the active backend `backend`. */
  measure(backend: SelectedBackend): Promise<number>;
  candidates?: readonly BackendName[];
  now?: () => Date;
}

/** `wasm ×2 threads`, `tensorflow`: libtensorflow runs its own thread pool. */
export function backendLabel(backend: SelectedBackend): string {
  if (backend.name !== 'wasm') return backend.name;
  return `wasm ×${backend.threads} thread${backend.threads === 1 ? '' : 's'}`;
}

const imagesPerSecText = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `wasm 4,900 vs tensorflow 3,100 img/s`, the winner first. */
export function measurementText(measured: Measurements, winner: BackendName): string {
  const names = (Object.keys(measured) as BackendName[]).sort((a, b) => (a === winner ? -1 : b === winner ? 1 : 0));
  return `${names.map((n) => `${n} ${imagesPerSecText(measured[n]!)}`).join(' vs ')} img/s`;
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/** Make the chosen backend active and say how it was chosen. */
export async function chooseBackend(options: ChooseOptions): Promise<BackendChoice> {
  const { load, measure, cache, key } = options;
  if (options.forced) {
    const backend = await load(options.forced);
    return { backend, description: `${backendLabel(backend)}, forced` };
  }
  const candidates = options.candidates ?? MEASURED_BACKENDS;

  const cached = cache?.get(key);
  if (cached && candidates.includes(cached.backend)) {
    try {
      const backend = await load(cached.backend);
      const figures = measurementText(cached.imagesPerSec, cached.backend);
      return { backend, description: `${backendLabel(backend)}, chosen by measurement ${figures} (cached)` };
    } catch {
      // It loaded when measured and no longer does (tfjs-node removed): measure what loads now.
    }
  }

  const loaded: BackendName[] = [];
  const failures: string[] = [];
  for (const name of candidates) {
    try {
      await load(name);
      loaded.push(name);
    } catch (err) {
      failures.push(`${name}: ${firstLine(err)}`);
    }
  }
  if (loaded.length === 0) {
    const backend = await load('cpu');
    return { backend, description: `cpu, the only backend that loads (${failures.join('; ')})` };
  }
  if (loaded.length === 1) {
    // Nothing to compare, and nothing cached: a backend installed later is then measured.
    const backend = await load(loaded[0]);
    return { backend, description: `${backendLabel(backend)}, the only backend that loads (${failures.join('; ')})` };
  }

  const measured: Measurements = {};
  for (const name of loaded) measured[name] = await measure(await load(name));
  const winner = loaded.reduce((best, name) => (measured[name]! > measured[best]! ? name : best));
  cache?.set(key, {
    backend: winner,
    imagesPerSec: measured,
    measuredAt: (options.now?.() ?? new Date()).toISOString(),
  });
  const backend = await load(winner);
  return {
    backend,
    description: `${backendLabel(backend)}, chosen by measurement ${measurementText(measured, winner)}`,
  };
}
