/**
 * Trainer process entry (built as out/main/trainer.cjs for the app and out/cli/trainer.js for the CLI; run from source with `--import tsx`).
 *
 * Speaks `TrainerCommand` in / `TrainerEvent` out over the channel it was started with
 * (`openParentChannel`: utilityProcess or child_process.fork). One run per process: after its
 * final event the process exits.
 *
 * Only type imports and the channel (Node built-ins) at the top: the IPC listener must be attached
 * before the (slow) tfjs import, or a `start` sent right after the fork could arrive with nobody
 * listening.
 */
import type { TrainerCommand, TrainerEvent } from '../../shared/training';
import { openParentChannel } from '../child';

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

const channel = openParentChannel<TrainerCommand, TrainerEvent>((command) => {
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
}, 'the trainer');

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
