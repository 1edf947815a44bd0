/**
 * Trainer process entry (built as out/main/trainer.cjs for the app and out/cli/trainer.js for the CLI; run from source with `--import tsx`).
 *
 * Speaks `TrainerCommand` in / `TrainerEvent` out over whichever channel it was started with:
 * Electron's `process.parentPort` (utilityProcess) or Node's IPC (`child_process.fork`, which must
 * use `serialization: 'advanced'` so Uint8Array/Float32Array payloads survive).
 * One run per process: after its final event the process exits.
 *
 * Only type imports at the top: the IPC listener must be attached before the (slow) tfjs import,
 * or a `start` sent right after the fork could arrive with nobody listening.
 */
import type { TrainerCommand, TrainerEvent } from '../../shared/training';

interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

interface Channel {
  send(event: TrainerEvent): Promise<void>;
  /** Exit once everything sent has left the process. */
  exit(code: number): void;
}

function openChannel(onCommand: (command: TrainerCommand) => void): Channel {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    parentPort.on('message', (message) => onCommand(message.data as TrainerCommand));
    return {
      send: async (event) => parentPort.postMessage(event),
      // postMessage has no completion callback; give the last message time to leave. The
      // supervisor kills a trainer that outstays its final event anyway.
      exit: (code) => void setTimeout(() => process.exit(code), 500),
    };
  }
  if (process.send) {
    process.on('message', (message) => onCommand(message as TrainerCommand));
    // The parent is gone (main crashed or quit): nobody to report to.
    process.on('disconnect', () => process.exit(0));
    return {
      send: (event) =>
        new Promise<void>((resolve) => {
          if (!process.connected) return resolve();
          process.send!(event, undefined, {}, () => resolve());
        }),
      exit: (code) => process.exit(code),
    };
  }
  throw new Error('the trainer must be started by utilityProcess.fork or child_process.fork');
}

let started = false;
let stopRequested = false;
const stopController = new AbortController();
let finished = false;
/**
 * Verdicts main sent for epochs the trainer has not finished waiting at yet: main may answer an
 * epoch event before the trainer (still writing that epoch's checkpoints) starts waiting.
 */
let verdictsAhead = 0;
let verdictWaiter: (() => void) | null = null;

/** Resolve at main's next verdict (`continue`, or a `stop` of any kind). */
function waitForVerdict(): Promise<void> {
  if (stopRequested) return Promise.resolve();
  if (verdictsAhead > 0) {
    verdictsAhead -= 1;
    return Promise.resolve();
  }
  return new Promise((resolve) => (verdictWaiter = resolve));
}

function releaseVerdict(): void {
  if (verdictWaiter) {
    const resolve = verdictWaiter;
    verdictWaiter = null;
    resolve();
  } else {
    verdictsAhead += 1;
  }
}

const channel = openChannel((command) => {
  if (!command || typeof command !== 'object') return;
  if (command.type === 'stop') {
    stopRequested = true;
    stopController.abort();
    if (!started) void finish({ type: 'stopped', epochs: 0 });
    releaseVerdict();
    return;
  }
  if (command.type === 'continue') {
    releaseVerdict();
    return;
  }
  if (command.type === 'start') {
    if (started || finished) {
      void send({ type: 'status', message: 'ignored a second start: one run per trainer process' });
      return;
    }
    started = true;
    void run(command);
  }
});

/** Sends complete in order; this is the last one's completion. */
let lastSend: Promise<void> = Promise.resolve();
function send(event: TrainerEvent): Promise<void> {
  lastSend = channel.send(event).catch(() => {});
  return lastSend;
}

async function run(command: Extract<TrainerCommand, { type: 'start' }>): Promise<void> {
  const { runTrainer } = await import('./run-trainer');
  // runTrainer emits the final event itself (and never throws); once it is out, leave.
  await runTrainer(command, {
    emit: (event) => void send(event),
    stopRequested: () => stopRequested,
    stopSignal: stopController.signal,
    waitForVerdict,
  });
  finished = true;
  await lastSend;
  channel.exit(0);
}

async function finish(event: TrainerEvent): Promise<void> {
  if (finished) return;
  finished = true;
  await send(event);
  channel.exit(0);
}

// Registered before tfjs-backend-wasm adds its own handlers (which rethrow and crash): an error
// that escapes everything is still reported as `failed` with its message.
const crash = (err: unknown): void => {
  if (finished) return;
  finished = true;
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  void send({ type: 'failed', error: `trainer crashed: ${message}` }).then(() => channel.exit(1));
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
