import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../../src/shared/api';
import { PRESETS } from '../../src/shared/hyperparams';
import { registerHandlers, type IpcMainLike, type Services } from '../../src/main/ipc';

const INFO: AppInfo = {
  appVersion: '0.0.0',
  backend: 'wasm',
  tfjsVersion: '4.22.0',
  dataset: { found: false, dir: null, source: null },
  dbPath: '/tmp/x.db',
  dbError: null,
  dbReadOnly: false,
  platform: 'linux-x64',
};

const NO_DATASET: Services['dataset'] = {
  info: async () => ({ location: INFO.dataset, identity: null, error: null }),
  samples: async () => ({ images: new Uint8Array(0), labels: [], count: 0 }),
  images: async (indices) => ({
    images: new Uint8Array(indices.length * 784),
    labels: indices.map(() => 0),
    count: indices.length,
  }),
  download: async () => {
    throw new Error('offline');
  },
  chooseFolder: async () => null,
};

const unused = async (): Promise<never> => {
  throw new Error('not used by this test');
};
const NO_RUNS: Services['runs'] = {
  list: unused,
  get: async (id) => {
    throw Object.assign(new Error(`Run #${id} does not exist.`), { code: 'not-found' });
  },
  start: unused,
  stop: unused,
  update: unused,
  remove: unused,
  compare: unused,
  confusion: unused,
  confusionDiff: unused,
  predictions: unused,
  disagreements: unused,
  exportRuns: unused,
};

function setup() {
  const handlers = new Map<string, (e: unknown, ...a: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = { handle: (c, l) => void handlers.set(c, l) };
  const channels = registerHandlers(ipcMain, () => {}, {
    appInfo: async () => INFO,
    dataset: NO_DATASET,
    runs: NO_RUNS,
  });
  const call = (channel: string, ...args: unknown[]) => handlers.get(channel)!({}, ...args);
  return { channels, call };
}

describe('main IPC handlers', () => {
  it('registers every channel of the contract', () => {
    expect(setup().channels).toContain('app:info');
  });

  it('answers app:info with the service data', async () => {
    expect(await setup().call('app:info')).toEqual({ ok: true, data: INFO });
  });

  it('refuses a payload on a channel that takes none, naming the channel', async () => {
    const r = await setup().call('app:info', { evil: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((r as { error: { message: string } }).error.message).toMatch(/^app:info: .*takes no payload/);
  });

  it('validates dataset requests before the service sees them', async () => {
    const { call } = setup();
    expect(await call('dataset:images', { indices: [0, 9_999] })).toMatchObject({ ok: true, data: { count: 2 } });
    const bad = await call('dataset:images', { indices: [10_000] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((bad as { error: { message: string } }).error.message).toContain('indices.0');
    expect(await call('dataset:samples', { perClass: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await call('dataset:samples', { perClass: 2, extra: 1 })).toMatchObject({ ok: false });
    expect(await call('dataset:download')).toMatchObject({
      ok: false,
      error: { message: 'dataset:download: offline' },
    });
  });

  it('validates run requests: ids, sort columns, hyperparameters', async () => {
    const { call } = setup();
    const notInt = await call('runs:get', { id: '1; DROP TABLE runs' });
    expect(notInt).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((notInt as { error: { message: string } }).error.message).toMatch(
      /runs:get: id: must be a positive integer run id/,
    );
    expect(await call('runs:get', { id: -3 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await call('runs:get', { id: 5 })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'runs:get: Run #5 does not exist.' },
    });
    const sort = await call('runs:list', { sort: 'name; DROP TABLE runs' });
    expect((sort as { error: { message: string } }).error.message).toMatch(/unknown sort column/);
    const lr = await call('runs:start', { config: { ...PRESETS.quick, learningRate: 50 } });
    expect(lr).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((lr as { error: { message: string } }).error.message).toContain('config.learningRate: must be > 0 and ≤ 10');
    expect(await call('runs:compare', { ids: [1] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await call('runs:export', { ids: [1], format: 'xml' })).toMatchObject({ ok: false });
  });

  it('refuses extra arguments', async () => {
    const r = await setup().call('app:info', undefined, 2);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('turns a failing service into an error result instead of throwing', async () => {
    const handlers = new Map<string, (e: unknown, ...a: unknown[]) => unknown>();
    registerHandlers({ handle: (c, l) => void handlers.set(c, l) }, () => {}, {
      appInfo: async () => {
        throw new Error('disk on fire');
      },
      dataset: NO_DATASET,
      runs: NO_RUNS,
    });
    expect(await handlers.get('app:info')!({})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'app:info: disk on fire' },
    });
  });
});
