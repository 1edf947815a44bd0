/**
 * The backend line the window shows (src/renderer/src/lib/backend-text.ts), read from lines the
 * real chooser writes (src/core/engine/backend/choice.ts) on stand-in machines: what runs in
 * people's words, why in a few, and the loader's own text only as the detail.
 */
import { describe, expect, it } from 'vitest';
import { ChoiceCache, chooseBackend, choiceKey } from '../../src/core/engine/backend/choice';
import type { SelectedBackend } from '../../src/core/engine/backend/types';
import { PRESETS } from '../../src/shared/hyperparams';
import type { BackendName } from '../../src/shared/training';
import { backendText } from '../../src/renderer/src/lib/backend-text';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TFJS_NODE_MISSING = "Cannot find package '@tensorflow/tfjs-node' imported from /app/out/trainer.cjs";

async function chosen(speeds: Partial<Record<BackendName, number>>, threads: number, extra = {}) {
  const load = async (name: BackendName): Promise<SelectedBackend> => {
    if (name !== 'cpu' && speeds[name] === undefined) throw new Error(TFJS_NODE_MISSING);
    return { name, tfjsVersion: '4.22.0', threads: name === 'wasm' ? threads : 1 };
  };
  const measure = async (b: SelectedBackend) => speeds[b.name]!;
  const key = choiceKey(PRESETS.quick, threads, '4.22.0');
  return (await chooseBackend({ key, load, measure, ...extra })).description;
}

describe('backend line', () => {
  it('the only backend that loads: "WebAssembly, 1 thread", the error only as the detail', async () => {
    const line = await chosen({ wasm: 3000 }, 1);
    expect(line).toContain(TFJS_NODE_MISSING);
    const text = backendText(line);
    expect(text.summary).toBe('WebAssembly, 1 thread');
    expect(text.reason).toBe('the only one that loads here');
    expect(text.detail).toBe(`Not loaded: tensorflow: ${TFJS_NODE_MISSING}`);
  });

  it('chosen by measurement, fresh and cached: the speeds as the detail', async () => {
    const cache = new ChoiceCache(join(mkdtempSync(join(tmpdir(), 'lenet-backend-text-')), 'choice.json'), () => {});
    const fresh = backendText(await chosen({ wasm: 4900, tensorflow: 3100 }, 4, { cache }));
    expect(fresh).toEqual({
      summary: 'WebAssembly, 4 threads',
      reason: 'the fastest here, by measurement',
      detail: 'Measured wasm 4,900 vs tensorflow 3,100 img/s',
    });
    const cached = backendText(await chosen({ wasm: 4900, tensorflow: 3100 }, 4, { cache }));
    expect(cached.detail).toBe('Measured wasm 4,900 vs tensorflow 3,100 img/s, on an earlier run');
  });

  it('forced, and an older run that stored only the name', async () => {
    expect(backendText(await chosen({ tensorflow: 2000 }, 1, { forced: 'tensorflow' }))).toEqual({
      summary: 'TensorFlow native',
      reason: 'chosen by hand (--backend), not measured',
      detail: null,
    });
    expect(backendText('wasm')).toEqual({ summary: 'WebAssembly', reason: null, detail: null });
  });
});
