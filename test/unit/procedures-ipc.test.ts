/**
 * The procedure table at main's IPC boundary: every operation registered, every input validated
 * with the table's schema before an implementation sees it, every failure answered as a Result.
 * The context is a stand-in with no database and no dataset, so only the boundary is exercised.
 */
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { PROCEDURE_NAMES } from '../../src/shared/procedures';
import {
  registerProcedures,
  type IpcInvokeEvent,
  type IpcMainLike,
  type ProcedureContext,
} from '../../src/core/procedures';
import { StoreError } from '../../src/core/store';

const APP_URL = 'file:///opt/studio/out/renderer/index.html';
const LOCATION = { found: false, dir: null, source: null };

function fakeContext(overrides: { location?: () => Promise<typeof LOCATION> } = {}): ProcedureContext {
  const dataset = {
    location: overrides.location ?? (async () => LOCATION),
    info: async () => ({ location: LOCATION, identity: null, error: null }),
    samples: async () => ({ images: new Uint8Array(0), labels: [], count: 0 }),
    testImages: async (indices: number[]) => ({
      images: new Uint8Array(indices.length * 784),
      labels: indices.map(() => 0),
      count: indices.length,
    }),
    download: async () => {
      throw new Error('offline');
    },
  };
  const unused = (): never => {
    throw new Error('not used by this test');
  };
  const store = {
    readonly: false,
    getRun: (id: number) => {
      throw new StoreError('not-found', `Run #${id} does not exist.`);
    },
  };
  return {
    options: { userDataDir: '/tmp', appVersion: '0.0.0', send: () => {} },
    layout: { dbPath: '/tmp/x.db', checkpointRoot: '/tmp/checkpoints', datasetCacheDir: '/tmp/datasets' },
    dataset,
    settings: { get: () => ({}), update: unused },
    dbError: null,
    store: () => store,
    runService: unused,
    dispose: async () => {},
  } as unknown as ProcedureContext;
}

function setup(ctx = fakeContext()) {
  const handlers = new Map<string, (e: IpcInvokeEvent, ...a: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = { handle: (c, l) => void handlers.set(c, l) };
  const channels = registerProcedures(ipcMain, ctx, (url) => url === APP_URL);
  const call = (channel: string, ...args: unknown[]) =>
    handlers.get(channel)!({ senderFrame: { url: APP_URL } }, ...args);
  const callFrom = (url: string, channel: string, ...args: unknown[]) =>
    handlers.get(channel)!({ senderFrame: { url } }, ...args);
  return { channels, call, callFrom };
}

describe('main IPC handlers', () => {
  it('registers every channel of the contract', () => {
    expect(setup().channels).toContain('app:info');
    expect(setup().channels).toEqual(PROCEDURE_NAMES);
  });

  it('answers app:info with the context data', async () => {
    expect(await setup().call('app:info')).toMatchObject({
      ok: true,
      data: { appVersion: '0.0.0', dbPath: '/tmp/x.db', dbError: null, dbReadOnly: false, dataset: LOCATION },
    });
  });

  it('refuses a call from a frame that is not the app page', async () => {
    expect(await setup().callFrom('https://example.com/', 'app:info')).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'app:info: refused a call from https://example.com/' },
    });
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

  it('validates the value a table or an export shows (last, best, epoch:N) before the store sees it', async () => {
    const { call } = setup();
    const message = async (name: string, input: unknown) =>
      ((await call(name, input)) as { ok: boolean; error?: { code: string; message: string } }).error;
    expect(await message('runs:values', { ids: [1], metric: 'testAccuracy', value: 'epoch:-1' })).toEqual({
      code: 'invalid-input',
      message: expect.stringContaining('value: "epoch:-1" is not a value to show: write last, best or epoch:N'),
    });
    expect(await message('runs:values', { ids: [1], metric: 'imagesPerSec', value: 'last' })).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('metric: must be one of testAccuracy'),
    });
    expect(await message('runs:values', { ids: [], metric: 'testAccuracy', value: 'last' })).toMatchObject({
      code: 'invalid-input',
    });
    expect(await message('runs:export', { ids: [1], format: 'csv', value: 'top' })).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('"top" is not a value to show'),
    });
  });

  it('refuses extra arguments', async () => {
    const r = await setup().call('app:info', undefined, 2);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('turns a failing service into an error result instead of throwing', async () => {
    const { call } = setup(
      fakeContext({
        location: async () => {
          throw new Error('disk on fire');
        },
      }),
    );
    expect(await call('app:info')).toEqual({
      ok: false,
      error: { code: 'internal', message: 'app:info: disk on fire' },
    });
  });
});
