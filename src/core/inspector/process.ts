/**
 * Inspector process entry (built as out/main/inspector.cjs for the app and out/cli/inspector.js for the CLI; run from source with `--import tsx`):
 * a long-lived process that answers `InspectorRequest`s one at a time, in order, over Electron's
 * `process.parentPort` (utilityProcess) or Node's IPC (child_process.fork, `serialization:
 * 'advanced'` so typed arrays survive). Main's event loop never runs tfjs.
 *
 * Only type imports at the top: the listener is attached before the slow tfjs import, so no
 * request sent right after the fork is lost; requests wait for the backend.
 */
import type { InspectorRequest, InspectorResponse } from './protocol';

interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const reply = (response: InspectorResponse): void => {
  if (parentPort) parentPort.postMessage(response);
  else if (process.send && process.connected) process.send(response);
};
const listen = (onRequest: (request: InspectorRequest) => void): void => {
  if (parentPort) parentPort.on('message', (message) => onRequest(message.data as InspectorRequest));
  else if (process.send) {
    process.on('message', (message) => onRequest(message as InspectorRequest));
    // Main is gone: nobody to answer.
    process.on('disconnect', () => process.exit(0));
  } else throw new Error('the inspector must be started by utilityProcess.fork or child_process.fork');
};

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
listen((request) => {
  if (!request || typeof request !== 'object' || typeof request.id !== 'number') return;
  queue = queue.then(async () => {
    try {
      const service = await ready;
      reply({ id: request.id, ok: true, result: await service.handle(request) });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const message = err instanceof Error ? err.message : String(err);
      reply({
        id: request.id,
        ok: false,
        error: { code: typeof code === 'string' ? (code as 'internal') : 'internal', message },
      });
    }
  });
});
void ready.then(
  () => reply({ id: 0, ok: true, result: 'ready' }),
  (err: unknown) => process.stderr.write(`inspector: no backend: ${(err as Error).message}\n`),
);
