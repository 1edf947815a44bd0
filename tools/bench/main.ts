/**
 * `npm run bench [-- section] [flags]`: the sections asked for (./index.ts), then exit. It exits
 * when the command is done rather than when the event loop empties: the threaded wasm backend's
 * Emscripten workers keep it alive for ever (`bench kernels --threads 2` printed its table and
 * never returned). First both streams drain: on some platforms pipe writes are async.
 */
import { runBenchCommand } from './index';

const exit = (code: number): void => {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
};

runBenchCommand(process.argv.slice(2)).then(exit, (err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  exit(1);
});
