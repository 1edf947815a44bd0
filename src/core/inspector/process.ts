/**
 * Inspector process entry (built as out/main/inspector.cjs for the app and out/cli/inspector.js for the CLI; run from source with `--import tsx`):
 * a long-lived process that answers `InspectorRequest`s one at a time, in order, over Electron's
 * `process.parentPort` (utilityProcess) or Node's IPC (child_process.fork, `serialization:
 * 'advanced'` so typed arrays survive). Main's event loop never runs tfjs.
 *
 * Only type imports and the channel (Node built-ins) at the top: the listener is attached before
 * the slow tfjs import, so no request sent right after the fork is lost; requests wait for the
 * backend.
 */
import type { InspectorProgress, InspectorRequest, InspectorResponse } from './protocol';
import { openParentChannel } from '../child';

const ready = (async () => {
  const tf = await import('@tensorflow/tfjs');
  const { selectBackend } = await import('../engine');
  const { InspectorService } = await import('./service');
  tf.enableProdMode();
  const preferred = process.env.LENET_INSPECTOR_BACKEND as 'wasm' | 'cpu' | 'tensorflow' | undefined;
  await selectBackend(preferred || undefined);
  return new InspectorService();
})();

// One request at a time: tfjs is single-threaded here anyway, and order keeps answers simple.
let queue: Promise<void> = Promise.resolve();
const channel = openParentChannel<InspectorRequest, InspectorResponse>((request) => {
  if (!request || typeof request !== 'object' || typeof request.id !== 'number') return;
  queue = queue.then(async () => {
    // A failure, including an answer that cannot be sent (a value structured clone refuses).
    const fail = (err: unknown): void => {
      const code = (err as { code?: unknown }).code;
      const message = err instanceof Error ? err.message : String(err);
      void channel.send({
        id: request.id,
        ok: false,
        error: { code: typeof code === 'string' ? (code as 'internal') : 'internal', message },
      });
    };
    try {
      const service = await ready;
      // Progress is a courtesy: one that cannot be sent must not fail the request.
      const onProgress = (progress: InspectorProgress): void =>
        void channel.send({ id: request.id, progress }).catch(() => {});
      channel.send({ id: request.id, ok: true, result: await service.handle(request, onProgress) }).catch(fail);
    } catch (err) {
      fail(err);
    }
  });
}, 'the inspector');
void ready.then(
  () => void channel.send({ id: 0, ok: true, result: 'ready' }),
  (err: unknown) => process.stderr.write(`inspector: no backend: ${(err as Error).message}\n`),
);
