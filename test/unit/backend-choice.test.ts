/**
 * The backend chosen by measurement (src/core/engine/backend/choice.ts): the cache key, hits and
 * misses, a corrupt cache file, forced and lone backends. `load` and `measure` are stand-ins here
 * (each call counted), so every path is exercised whatever this machine can load; the real
 * measurement between tensorflow and wasm is test/tensorflow/backend-tensorflow.test.ts and the
 * CLI's measured choice test/tensorflow/cli-backend-choice.test.ts (CI's tensorflow step).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ChoiceCache,
  chooseBackend,
  choiceKey,
  machineIdentity,
  type ChooseOptions,
} from '../../src/core/engine/backend/choice';
import type { SelectedBackend } from '../../src/core/engine/backend/types';
import { PRESETS } from '../../src/shared/hyperparams';
import type { BackendName } from '../../src/shared/training';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lenet-backend-choice-'));
let files = 0;
const freshFile = (): string => path.join(dir, `choice-${++files}.json`);

/** A machine where `speeds` says what loads and how fast it trains; calls are recorded. */
function machine(speeds: Partial<Record<BackendName, number>>, threads = 2) {
  const loads: BackendName[] = [];
  const measured: BackendName[] = [];
  let active: BackendName | null = null;
  const load = async (name: BackendName): Promise<SelectedBackend> => {
    loads.push(name);
    if (name !== 'cpu' && speeds[name] === undefined) throw new Error(`${name} is not installed\nstack…`);
    active = name;
    return { name, tfjsVersion: '4.22.0', threads: name === 'wasm' ? threads : 1 };
  };
  const measure = async (backend: SelectedBackend): Promise<number> => {
    // The chooser must make a backend active before timing it.
    expect(active).toBe(backend.name);
    measured.push(backend.name);
    return speeds[backend.name]!;
  };
  return { load, measure, loads, measured, active: () => active };
}

const key = choiceKey(PRESETS.seed, 2, '4.22.0');

function options(m: ReturnType<typeof machine>, extra: Partial<ChooseOptions> = {}): ChooseOptions {
  return { key, load: m.load, measure: m.measure, ...extra };
}

describe('cache key', () => {
  it('names the machine, the tfjs version, the model variant, the batch size and the threads', () => {
    expect(key).toContain(machineIdentity());
    expect(machineIdentity()).toContain(`×${os.availableParallelism()}`);
    expect(key).toContain('tfjs 4.22.0');
    expect(key).toContain(`batch ${PRESETS.seed.batchSize}`);
    expect(key).toContain('threads 2');
    const other = (change: Partial<typeof PRESETS.seed>, threads = 2, version = '4.22.0') =>
      choiceKey({ ...PRESETS.seed, ...change }, threads, version);
    expect(other({ batchSize: 256 })).not.toBe(key);
    expect(other({ model: PRESETS.modern.model })).not.toBe(key);
    expect(other({}, 1)).not.toBe(key);
    expect(other({}, 2, '4.23.0')).not.toBe(key);
    // Adam runs as the fused step on wasm, another optimizer as tfjs's: not the same speed.
    expect(key).toContain('wasm fused step v1');
    expect(other({ optimizer: 'sgd' })).toContain('wasm tfjs step');
    expect(choiceKey(PRESETS.seed, 2, '4.22.0', 'Other CPU ×8')).not.toBe(key);
    // What does not change the speed does not change the key.
    expect(other({ learningRate: 0.1, epochs: 3, seed: 7 })).toBe(key);
  });
});

describe('choosing by measurement', () => {
  it('a miss measures every backend that loads, picks the fastest and caches the answer', async () => {
    const file = freshFile();
    const warnings: string[] = [];
    const m = machine({ tensorflow: 3_100, wasm: 4_900 });
    const choice = await chooseBackend(options(m, { cache: new ChoiceCache(file, (w) => warnings.push(w)) }));
    expect(choice.backend).toMatchObject({ name: 'wasm', threads: 2 });
    expect(m.active()).toBe('wasm');
    expect(m.measured.sort()).toEqual(['tensorflow', 'wasm']);
    expect(choice.description).toBe('wasm ×2 threads, chosen by measurement wasm 4,900 vs tensorflow 3,100 img/s');
    expect(warnings).toEqual([]);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.entries[key]).toMatchObject({ backend: 'wasm', imagesPerSec: { tensorflow: 3_100, wasm: 4_900 } });
  });

  it('the other way round on another machine: tensorflow wins when it is faster', async () => {
    const m = machine({ tensorflow: 9_000, wasm: 4_900 });
    const choice = await chooseBackend(options(m, { cache: new ChoiceCache(freshFile(), () => {}) }));
    expect(choice.backend.name).toBe('tensorflow');
    expect(m.active()).toBe('tensorflow');
    expect(choice.description).toBe('tensorflow, chosen by measurement tensorflow 9,000 vs wasm 4,900 img/s');
  });

  it('a hit reuses the cached answer without measuring again, in a new process (a new cache object)', async () => {
    const file = freshFile();
    await chooseBackend(
      options(machine({ tensorflow: 3_100, wasm: 4_900 }), { cache: new ChoiceCache(file, () => {}) }),
    );
    const again = machine({ tensorflow: 3_100, wasm: 4_900 });
    const choice = await chooseBackend(options(again, { cache: new ChoiceCache(file, () => {}) }));
    expect(again.measured).toEqual([]);
    expect(again.loads).toEqual(['wasm']);
    expect(choice.backend.name).toBe('wasm');
    expect(choice.description).toBe(
      'wasm ×2 threads, chosen by measurement wasm 4,900 vs tensorflow 3,100 img/s (cached)',
    );
  });

  it('another configuration is a miss: it is measured and added beside the first answer', async () => {
    const file = freshFile();
    const cache = (): ChoiceCache => new ChoiceCache(file, () => {});
    await chooseBackend(options(machine({ tensorflow: 3_100, wasm: 4_900 }), { cache: cache() }));
    const other = choiceKey({ ...PRESETS.seed, batchSize: 512 }, 2, '4.22.0');
    const m = machine({ tensorflow: 6_000, wasm: 4_000 });
    const choice = await chooseBackend({ ...options(m), key: other, cache: cache() });
    expect(m.measured.length).toBe(2);
    expect(choice.backend.name).toBe('tensorflow');
    const entries = JSON.parse(readFileSync(file, 'utf8')).entries;
    expect(Object.keys(entries).sort()).toEqual([key, other].sort());
  });

  it('a corrupt cache file is a warning naming it and a re-measurement, then a valid file again', async () => {
    for (const garbage of ['{"version": 1, "entries": {', '{"version": 9, "entries": {}}', '[1, 2]']) {
      const file = freshFile();
      writeFileSync(file, garbage);
      const warnings: string[] = [];
      const m = machine({ tensorflow: 3_100, wasm: 4_900 });
      const choice = await chooseBackend(options(m, { cache: new ChoiceCache(file, (w) => warnings.push(w)) }));
      expect(choice.backend.name).toBe('wasm');
      expect(m.measured.length).toBe(2);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(file);
      expect(warnings[0]).toMatch(/unreadable .*measuring again/);
      expect(JSON.parse(readFileSync(file, 'utf8')).entries[key].backend).toBe('wasm');
    }
  });

  it('a cached backend that no longer loads is measured again among those that do', async () => {
    const file = freshFile();
    await chooseBackend(
      options(machine({ tensorflow: 9_000, wasm: 4_900 }), { cache: new ChoiceCache(file, () => {}) }),
    );
    const m = machine({ wasm: 4_900 }); // tfjs-node removed since
    const choice = await chooseBackend(options(m, { cache: new ChoiceCache(file, () => {}) }));
    expect(choice.backend.name).toBe('wasm');
    expect(choice.description).toBe(
      'wasm ×2 threads, the only backend that loads (tensorflow: tensorflow is not installed)',
    );
  });

  it('a lone backend is used unmeasured and not cached (a backend installed later is then measured)', async () => {
    const file = freshFile();
    const m = machine({ wasm: 4_900 }, 1);
    const choice = await chooseBackend(options(m, { cache: new ChoiceCache(file, () => {}) }));
    expect(choice.backend).toMatchObject({ name: 'wasm', threads: 1 });
    expect(m.measured).toEqual([]);
    expect(choice.description).toBe(
      'wasm ×1 thread, the only backend that loads (tensorflow: tensorflow is not installed)',
    );
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  });

  it('nothing measurable loads: cpu, with every reason', async () => {
    const m = machine({});
    const choice = await chooseBackend(options(m));
    expect(choice.backend.name).toBe('cpu');
    expect(choice.description).toBe(
      'cpu, the only backend that loads (tensorflow: tensorflow is not installed; wasm: wasm is not installed)',
    );
  });

  it('a forced backend is used as asked: no measurement, no cache read or write', async () => {
    const file = freshFile();
    writeFileSync(file, 'not json');
    const warnings: string[] = [];
    const m = machine({ tensorflow: 9_000, wasm: 4_900 });
    const choice = await chooseBackend(
      options(m, { forced: 'tensorflow', cache: new ChoiceCache(file, (w) => warnings.push(w)) }),
    );
    expect(choice.backend.name).toBe('tensorflow');
    expect(choice.description).toBe('tensorflow, forced');
    expect(m.measured).toEqual([]);
    expect(m.loads).toEqual(['tensorflow']);
    expect(warnings).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('not json');
  });

  it('a forced backend that cannot load is an error, not a fallback', async () => {
    await expect(chooseBackend(options(machine({ wasm: 1 }), { forced: 'tensorflow' }))).rejects.toThrow(
      /tensorflow is not installed/,
    );
  });

  it('a cache that cannot be written is a warning; the run still gets its backend', async () => {
    const blocker = freshFile();
    writeFileSync(blocker, 'a file, not a folder');
    const warnings: string[] = [];
    const cache = new ChoiceCache(path.join(blocker, 'choice.json'), (w) => warnings.push(w));
    const choice = await chooseBackend(options(machine({ tensorflow: 1_000, wasm: 2_000 }), { cache }));
    expect(choice.backend.name).toBe('wasm');
    expect(warnings.join('\n')).toMatch(/could not save the backend choice/);
  });
});
