// Bootstrap of a stand-in utility process: gives the entry Electron's `process.parentPort` (an
// emitter of `{ data, ports }` messages with `postMessage`) over Node's IPC, hides Node's own IPC
// (a utility process has no `process.send`), then loads the entry the app asked for.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
const send = process.send.bind(process);
const parentPort = new EventEmitter();
parentPort.postMessage = (message) => {
  if (process.connected) send(message);
};
parentPort.start = () => {};
// Like Electron's port, messages that arrive before the entry listens are queued, not lost: they
// are delivered once a 'message' listener is attached.
const queued = [];
parentPort.on('newListener', (event) => {
  if (event !== 'message') return;
  setImmediate(() => {
    for (const message of queued.splice(0)) parentPort.emit('message', message);
  });
});
process.on('message', (message) => {
  // A test may ask for a V8 fatal error (as a heap exhaustion ends a process): abort on the first
  // message, the way V8 does, so main sees Electron's `error` event and then `exit`.
  if (process.env.LENET_STANDIN_UTILITY_ABORT === '1') process.abort();
  const event = { data: message, ports: [] };
  if (parentPort.listenerCount('message') > 0) parentPort.emit('message', event);
  else queued.push(event);
});
// Electron kills utility processes with their app.
process.on('disconnect', () => process.exit(0));
delete process.send;
Object.defineProperty(process, 'parentPort', { value: parentPort, enumerable: false });
process.argv = [process.argv[0], entry, ...args];

await import(pathToFileURL(entry).href);
