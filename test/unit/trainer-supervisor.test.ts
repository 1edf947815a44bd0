/**
 * TrainerSupervisor against a fake TrainerHandle: relaying, crash reporting, forced stop, and that
 * nothing a trainer (or a listener) does can throw into main. The real-process version is in
 * test/integration/trainer-supervisor.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrainerSupervisor, type TrainerHandle } from '../../src/core/trainer/supervisor';
import { PRESETS } from '../../src/shared/hyperparams';
import type { TrainerCommand, TrainerEvent } from '../../src/shared/training';

class FakeTrainer implements TrainerHandle {
  readonly received: TrainerCommand[] = [];
  killed = 0;
  readonly pid = 4242;
  private messageListener: (event: TrainerEvent) => void = () => {};
  private exitListener: (code: number | null, signal: string | null) => void = () => {};

  postMessage(command: TrainerCommand): void {
    this.received.push(command);
  }
  onMessage(listener: (event: TrainerEvent) => void): void {
    this.messageListener = listener;
  }
  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exitListener = listener;
  }
  kill(): void {
    this.killed++;
    this.exit(null, 'SIGKILL');
  }
  send(event: TrainerEvent): void {
    this.messageListener(event);
  }
  exit(code: number | null, signal: string | null): void {
    this.exitListener(code, signal);
  }
}

function setup(options: { exitGraceMs?: number; stopTimeoutMs?: number } = {}) {
  const trainers: FakeTrainer[] = [];
  const global: [number, TrainerEvent][] = [];
  const supervisor = new TrainerSupervisor({
    forkTrainer: () => {
      const t = new FakeTrainer();
      trainers.push(t);
      return t;
    },
    onEvent: (runId, event) => global.push([runId, event]),
    exitGraceMs: options.exitGraceMs ?? 50,
    stopTimeoutMs: options.stopTimeoutMs ?? 50,
  });
  return { supervisor, trainers, global };
}

/** Lets every promise that can settle now settle (a macrotask: all microtasks run before it). */
const settle = () => new Promise((r) => setImmediate(r));
const start = { config: PRESETS.quick, backend: 'wasm' as const };

describe('TrainerSupervisor', () => {
  // Where time is the subject (grace and stop timeouts), the clock is vitest's: exact, not slept.
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the start command and relays events to both listeners', () => {
    const { supervisor, trainers, global } = setup();
    const events: TrainerEvent[] = [];
    supervisor.start(7, start, (e) => events.push(e));
    expect(trainers[0].received[0]).toEqual({ type: 'start', runId: 7, ...start });
    trainers[0].send({ type: 'status', message: 'hello' });
    expect(events).toEqual([{ type: 'status', message: 'hello' }]);
    expect(global).toEqual([[7, { type: 'status', message: 'hello' }]]);
    expect(supervisor.isRunning(7)).toBe(true);
    expect(supervisor.pidOf(7)).toBe(4242);
    expect(() => supervisor.start(7, start)).toThrow(/already/);
  });

  it('a trainer that exits without a final event is reported `failed` with its code or signal', () => {
    const { supervisor, trainers } = setup();
    const a: TrainerEvent[] = [];
    const b: TrainerEvent[] = [];
    supervisor.start(1, start, (e) => a.push(e));
    supervisor.start(2, start, (e) => b.push(e));
    trainers[0].exit(3, null);
    trainers[1].exit(null, 'SIGKILL');
    expect(a.at(-1)).toEqual({ type: 'failed', error: 'trainer exited with code 3 before finishing the run' });
    expect(b.at(-1)).toEqual({ type: 'failed', error: 'trainer killed by SIGKILL before finishing the run' });
    expect(supervisor.runningIds).toEqual([]);
  });

  it('after a final event: later events are dropped, a clean exit is not a failure, a lingering trainer is killed', async () => {
    vi.useFakeTimers();
    const { supervisor, trainers } = setup({ exitGraceMs: 20 });
    const events: TrainerEvent[] = [];
    supervisor.start(1, start, (e) => events.push(e));
    trainers[0].send({ type: 'completed', epochs: 2, reason: 'epochs' });
    trainers[0].send({ type: 'status', message: 'late' });
    expect(supervisor.isRunning(1)).toBe(false);
    vi.advanceTimersByTime(19);
    expect(trainers[0].killed).toBe(0); // still within its grace
    vi.advanceTimersByTime(1);
    expect(trainers[0].killed).toBe(1);
    expect(events).toEqual([{ type: 'completed', epochs: 2, reason: 'epochs' }]);
  });

  it('stop sends `stop`; a trainer that does not answer is killed and reported stopped', async () => {
    vi.useFakeTimers();
    const { supervisor, trainers } = setup({ stopTimeoutMs: 20 });
    const events: TrainerEvent[] = [];
    supervisor.start(1, start, (e) => events.push(e));
    trainers[0].send({
      type: 'epoch',
      epoch: 1,
      trainLoss: 1,
      trainAccuracy: 0.5,
      validationLoss: null,
      validationAccuracy: null,
      testLoss: 1,
      testAccuracy: 0.5,
      learningRate: 0.1,
      seconds: 1,
      imagesPerSec: 1,
    });
    expect(supervisor.stop(1)).toBe(true);
    expect(trainers[0].received.at(-1)).toEqual({ type: 'stop' });
    expect(supervisor.stop(99)).toBe(false);
    vi.advanceTimersByTime(19);
    expect(events.map((e) => e.type)).toEqual(['epoch']);
    expect(trainers[0].killed).toBe(0);
    vi.advanceTimersByTime(1);
    expect(events.at(-1)).toEqual({ type: 'stopped', epochs: 1 });
    expect(trainers[0].killed).toBe(1);
  });

  it('stopAll resolves once every trainer has exited', async () => {
    const { supervisor, trainers } = setup({ stopTimeoutMs: 10_000 });
    supervisor.start(1, start);
    supervisor.start(2, start);
    let done = false;
    const all = supervisor.stopAll().then(() => (done = true));
    trainers[0].send({ type: 'stopped', epochs: 0 });
    trainers[0].exit(0, null);
    await settle();
    expect(done).toBe(false);
    trainers[1].send({ type: 'stopped', epochs: 0 });
    trainers[1].exit(0, null);
    await all;
    expect(done).toBe(true);
  });

  it('a run can start again while its finished trainer is still exiting (Resume right after a stop)', async () => {
    // The CI run of stop 16 failed a resumed run with "run N already has a trainer": the stopped
    // trainer lingers up to half a second after `stopped` before it exits.
    const { supervisor, trainers } = setup({ exitGraceMs: 10_000 });
    const first: TrainerEvent[] = [];
    const second: TrainerEvent[] = [];
    supervisor.start(5, start, (e) => first.push(e));
    trainers[0].send({ type: 'stopped', epochs: 1 });
    supervisor.start(5, { ...start, resume: true }, (e) => second.push(e));
    expect(trainers[1].received[0]).toEqual({ type: 'start', runId: 5, ...start, resume: true });
    expect(() => supervisor.start(5, start)).toThrow(/already/);

    // The old trainer's exit neither fails nor forgets the new one.
    trainers[0].exit(0, null);
    expect(supervisor.isRunning(5)).toBe(true);
    expect(supervisor.pidOf(5)).toBe(4242);
    trainers[1].send({ type: 'epoch' as const, epoch: 2 } as TrainerEvent);
    expect(second).toHaveLength(1);
    expect(first).toEqual([{ type: 'stopped', epochs: 1 }]);

    // App quit waits for a replaced trainer that has not exited yet, too.
    supervisor.start(6, start);
    trainers[2].send({ type: 'stopped', epochs: 0 });
    supervisor.start(6, start);
    let done = false;
    const all = supervisor.stopAll().then(() => (done = true));
    for (const t of [trainers[1], trainers[3]]) {
      t.send({ type: 'stopped', epochs: 0 });
      t.exit(0, null);
    }
    await settle();
    expect(done).toBe(false);
    trainers[2].exit(0, null);
    await all;
    expect(done).toBe(true);
  });

  it('a throwing listener cannot take the supervisor down', async () => {
    const { supervisor, trainers } = setup();
    supervisor.start(1, start, () => {
      throw new Error('listener bug');
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      expect(() => trainers[0].send({ type: 'status', message: 'x' })).not.toThrow();
      expect(() => trainers[0].exit(1, null)).not.toThrow();
      await settle(); // process.emitWarning delivers on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(supervisor.runningIds).toEqual([]);
    // Each throw is reported, naming the event: the status, then the failure the exit made.
    expect(warnings).toEqual([
      'trainer event listener threw on status: listener bug',
      'trainer event listener threw on failed: listener bug',
    ]);
  });
});
