/**
 * `npm run train`: the desktop app's engine and database, headless. The run is recorded in the
 * same studio database, so it shows up in the app's Runs list.
 */
import { parameterSummary } from '../shared/lenet';
import type { TrainerEvent } from '../shared/training';
import { countOf } from '../shared/plural';
import type { RunEvent } from '../shared/run-events';
import { callProcedure } from '../core/procedures';
import { openCliContext } from './context';
import { resolve } from 'node:path';
import { defaultDbPath } from '../core/paths';
import { THREADS_ENV } from '../core/trainer';
import { findLearningRate } from './find-lr';
import { parseTrainArgs, TRAIN_USAGE, UsageError } from './train-options';

const pct = (v: number | null | undefined): string => (v == null ? '  —  ' : `${(v * 100).toFixed(2)}%`);
const secs = (s: number): string =>
  s < 90 ? `${s.toFixed(0)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;

/** `--exclude-marked wrong`: how many images marked wrong the run leaves out (none is said too). */
export function leftOutLine(count: number | undefined): string {
  if (count === undefined) return '';
  return count === 0
    ? '\n  leaving out no image: none of its training images is marked wrong in the label audit'
    : `\n  leaving out the ${countOf(count, 'training image')} marked wrong in the label audit`;
}

/** Prints a live progress bar on a terminal, plain lines elsewhere (CI logs, pipes). */
class ProgressPrinter {
  private readonly tty = Boolean(process.stdout.isTTY);
  private epochs = 0;
  private epochStart = Date.now();
  private lastLine = 0;

  onEvent({ event }: RunEvent): void {
    switch (event.type) {
      case 'status':
        this.line(`· ${event.message}`);
        break;
      case 'started':
        this.epochs = event.epochs;
        this.epochStart = Date.now();
        this.line(
          `Training on ${event.backend} (tfjs ${event.tfjsVersion}), ${event.trainSize.toLocaleString('en-US')} training / ` +
            `${event.validationSize.toLocaleString('en-US')} validation / ${event.testSize.toLocaleString('en-US')} test images, ` +
            `${event.parameterCount.toLocaleString('en-US')} parameters` +
            (event.dataset.official ? '' : '\n  ! this data is valid IDX but NOT the official FashionMNIST') +
            leftOutLine(event.leftOutCount),
        );
        break;
      case 'batch': {
        const done = event.batch / event.batchesPerEpoch;
        const now = Date.now();
        if (!this.tty && now - this.lastLine < 10_000) break;
        this.lastLine = now;
        const eta = ((now - this.epochStart) / 1000 / Math.max(done, 1e-6)) * (1 - done);
        const width = 24;
        const bar = '#'.repeat(Math.round(done * width)).padEnd(width, '.');
        const text = `epoch ${event.epoch}/${this.epochs} [${bar}] ${(done * 100).toFixed(0).padStart(3)}%  loss ${event.loss.toFixed(4)}  acc ${pct(event.accuracy)}  ${Math.round(event.imagesPerSec).toLocaleString('en-US')} img/s  ETA ${secs(eta)}`;
        if (this.tty) process.stdout.write(`\r${text}\x1b[K`);
        else this.line(text);
        break;
      }
      case 'epoch':
        this.epochStart = Date.now();
        if (this.tty) process.stdout.write('\r\x1b[K');
        this.line(
          `epoch ${String(event.epoch).padStart(String(this.epochs).length)}/${this.epochs}  ` +
            `train loss ${event.trainLoss.toFixed(4)} acc ${pct(event.trainAccuracy)} | ` +
            `val ${pct(event.validationAccuracy)} | test loss ${event.testLoss.toFixed(4)} acc ${pct(event.testAccuracy)} | ` +
            `lr ${event.learningRate.toPrecision(3)} | ${event.seconds.toFixed(1)} s | ${Math.round(event.imagesPerSec).toLocaleString('en-US')} img/s`,
        );
        break;
      case 'checkpoint':
      case 'evaluation':
        break;
      default:
        if (this.tty) process.stdout.write('\r\x1b[K');
    }
  }

  line(text: string): void {
    process.stdout.write(`${text}\n`);
  }
}

export function describeEnd(event: TrainerEvent): string {
  switch (event.type) {
    case 'completed':
      return event.reason === 'early-stopping'
        ? `completed (early stopping after ${countOf(event.epochs, 'epoch')})`
        : `completed (${countOf(event.epochs, 'epoch')})`;
    case 'stopped':
      return `stopped after ${countOf(event.epochs, 'epoch')}`;
    case 'diverged':
      return `diverged: loss became ${event.loss} at epoch ${event.epoch}, batch ${event.batch}`;
    case 'failed':
      return `failed: ${event.error}`;
    default:
      return event.type;
  }
}

/** Returns the process exit code: 0 completed or stopped by the user, 1 otherwise. */
/** A path as a shell reads it back: quoted when it holds spaces or other special characters. */
function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

export async function runTrainCommand(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseTrainArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`train: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (options.help) {
    process.stdout.write(`${TRAIN_USAGE}\n`);
    return 0;
  }
  if (options.summaryOnly) {
    process.stdout.write(`${parameterSummary(options.config.model)}\n`);
    return 0;
  }

  // The trainer process inherits the environment: the thread cap travels with it.
  if (options.threads !== undefined) process.env[THREADS_ENV] = String(options.threads);
  const dbPath = options.dbPath ?? defaultDbPath();
  const printer = new ProgressPrinter();
  // The app's own procedures over a context without a window: the same validation, the same
  // store, the same run service and trainer process as a run started from New run.
  const ctx = await openCliContext('train', dbPath, {
    send: (event, payload) => {
      if (event === 'run:event') printer.onEvent(payload as RunEvent);
    },
    dataDir: options.dataDir,
    backend: options.backend,
  });
  if (!ctx) return 1;
  if (options.findLr) {
    const code = await findLearningRate(ctx, options, (line) => printer.line(line));
    await ctx.dispose();
    return code;
  }
  const started =
    options.resumeId === undefined
      ? await callProcedure(ctx, 'runs:start', [
          {
            config: options.config,
            name: options.name,
            preset: options.preset,
            tags: options.tags,
            notes: options.notes,
            keepCheckpoints: options.keepCheckpoints,
          },
        ])
      : options.extendTo === undefined
        ? await callProcedure(ctx, 'runs:resume', [{ id: options.resumeId }])
        : await callProcedure(ctx, 'runs:extend', [{ id: options.resumeId, epochs: options.extendTo }]);
  if (!started.ok) {
    process.stderr.write(`train: ${started.error.message}\n`);
    await ctx.dispose();
    return started.error.code === 'invalid-input' ? 2 : 1;
  }
  const run = started.data;
  const service = ctx.runService();
  const store = ctx.store();
  printer.line(
    options.resumeId === undefined
      ? `Run #${run.id} "${run.name}" → ${dbPath}`
      : `Run #${run.id} "${run.name}" continues after epoch ${run.epochsDone} of ${run.epochs} → ${dbPath}`,
  );

  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      printer.line('\nStopping after the current batch (Ctrl-C again to abandon)…');
      service.stop(run.id);
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  const end = await service.whenFinished(run.id);
  process.off('SIGINT', onSigint);

  const detail = store.getRun(run.id);
  printer.line('');
  printer.line(`Run #${run.id} ${describeEnd(end)}`);
  printer.line(
    `  best test accuracy ${pct(detail.bestTestAccuracy)} (epoch ${detail.bestEpoch ?? '—'}), final ${pct(detail.finalTestAccuracy)}, ` +
      `${countOf(detail.epochsDone, 'epoch')} on ${detail.backend ?? '—'}`,
  );
  const best = detail.checkpoints.find((c) => c.role === 'best');
  if (best) printer.line(`  best checkpoint: ${best.path}`);
  // The app opens its own database unless LENET_STUDIO_DB names another: the hint names the one written.
  const openApp =
    resolve(dbPath) === resolve(defaultDbPath()) ? 'npm start' : `LENET_STUDIO_DB=${shellQuote(dbPath)} npm start`;
  printer.line(`  to look at it in the app: ${openApp}`);
  printer.line(`  to export it: npm run export -- --db ${shellQuote(dbPath)} --runs ${run.id}`);
  await ctx.dispose();
  return end.type === 'completed' || end.type === 'stopped' ? 0 : 1;
}
