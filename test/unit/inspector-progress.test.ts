/**
 * The inspector's progress messages as main's client takes them: each reaches the listener of the
 * request it names, before the answer; one that fails the schema (a share outside 0–1, a stage
 * too long, a stray field) or names no pending request is dropped; a throwing listener fails
 * nothing. The process is a stand-in handle: this is the client's rule, not the process's.
 */
import { describe, expect, it } from 'vitest';
import { InspectorClient, type InspectorHandle } from '../../src/core/inspector';
import type { InspectorRequest, InspectorResponse } from '../../src/core/inspector';

function fakeInspector() {
  const sent: InspectorRequest[] = [];
  let deliver: (message: InspectorResponse) => void = () => {};
  const handle: InspectorHandle = {
    postMessage: (message) => void sent.push(message),
    onMessage: (listener) => void (deliver = listener),
    onExit: () => {},
    kill: () => {},
  };
  return { handle, sent, answer: (message: unknown) => deliver(message as InspectorResponse) };
}

const mapRequest = {
  type: 'feature-map',
  checkpointDir: '/nowhere',
  model: {} as never,
  layer: 'F6',
  method: 'umap',
  dataset: {},
} as const;

describe('inspector progress in main', () => {
  it('reaches the request’s listener; malformed or unaddressed messages are dropped', async () => {
    const inspector = fakeInspector();
    const client = new InspectorClient(() => inspector.handle);
    const heard: unknown[] = [];
    const answer = client.request(mapRequest, { onProgress: (p) => heard.push(p) });
    const id = inspector.sent[0].id;
    inspector.answer({ id, progress: { share: 0.5, stage: 'layout epoch 60/150' } });
    inspector.answer({ id, progress: { share: 1.5, stage: 'layout epoch 60/150' } });
    inspector.answer({ id, progress: { share: 0.6, stage: 'x'.repeat(121) } });
    inspector.answer({ id, progress: { share: 0.6, stage: '' } });
    inspector.answer({ id, progress: { share: 0.6, stage: 'ok', extra: 1 } });
    inspector.answer({ id, progress: 'half' });
    inspector.answer({ id: id + 1, progress: { share: 0.7, stage: 'another request' } });
    inspector.answer({ id, progress: { share: 0.9, stage: 'layout epoch 140/150' } });
    inspector.answer({ id, ok: true, result: 'the map' });
    await expect(answer).resolves.toBe('the map');
    expect(heard).toEqual([
      { share: 0.5, stage: 'layout epoch 60/150' },
      { share: 0.9, stage: 'layout epoch 140/150' },
    ]);
    // After the answer, a late progress message finds no request and is ignored.
    inspector.answer({ id, progress: { share: 1, stage: 'done' } });
    expect(heard).toHaveLength(2);
    client.dispose();
  });

  it('a listener that throws does not fail the request', async () => {
    const inspector = fakeInspector();
    const client = new InspectorClient(() => inspector.handle);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const answer = client.request(mapRequest, {
        onProgress: () => {
          throw new Error('window gone');
        },
      });
      const id = inspector.sent[0].id;
      inspector.answer({ id, progress: { share: 0.1, stage: 'nearest neighbours' } });
      inspector.answer({ id, ok: true, result: 'still answered' });
      await expect(answer).resolves.toBe('still answered');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.some((w) => w.includes('window gone'))).toBe(true);
    } finally {
      process.off('warning', onWarning);
      client.dispose();
    }
  });
});
