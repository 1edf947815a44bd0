/**
 * The fused step on two cores: each batch split in two, the first part's gradients computed here,
 * the second's at the same time in a worker thread holding a second instance of the module, then
 * combined (weighted by the parts' sizes) before one Adam step here. Data-parallel, as PyTorch
 * uses its second thread on LeNet-sized layers.
 *
 * Why a worker and not the module's own threads: the module is single-threaded C with static
 * buffers; two instances share nothing but the buffers below. The handoff is synchronous
 * (Atomics.wait/notify on shared memory, no message per step): a batch-32 step takes ~4 ms on
 * one core, so a postMessage round trip would cost a noticeable part of what the second core saves.
 *
 * Deterministic: the split is fixed (the first ⌈n/2⌉ images here, the rest in the worker), so a
 * seeded run repeats exactly on two threads; it differs from the one-thread run only in float
 * rounding (gradient sums in another order).
 */
import { Worker } from 'node:worker_threads';
import type { ModelOptions } from '../../../shared/hyperparams';
import { LeNetStep, type AdamStepConstants, type StepComputer } from './lenet-step';

/** Control words in the shared Int32Array. */
const REQUEST = 0; // incremented by this thread to ask for one half-step (2⁳¹−1: stop)
const DONE = 1; // set by the worker to the request it finished
const SIZE = 2; // images in the worker's part
const CORRECT = 3; // the worker's correct count
const STOP = 0x7fffffff;

/**
 * The worker: a second module instance, waiting on REQUEST. Plain JavaScript in a string (the
 * bundlers leave it alone; a function's source would have its `require` rewritten): it reads its
 * part's images, labels and the current parameters from shared memory, and writes back its
 * gradients, loss, correct count and margins, then DONE.
 */
const HALF_STEP_WORKER = `
const { workerData } = require('node:worker_threads');
const { module, conv, pool, dense, smoothing, shared } = workerData;
const w = new WebAssembly.Instance(module, {}).exports;
const count = w.param_count();
const view = (at, n) => new Float32Array(w.memory.buffer, at, n);
view(w.pixel_table(), 256).set(Array.from({ length: 256 }, (_, b) => b / 255));
w.configure(conv, pool, dense, smoothing);
const control = new Int32Array(shared.control);
const params = new Float32Array(shared.params);
const grads = new Float32Array(shared.grads);
const images = new Uint8Array(shared.images);
const labels = new Int32Array(shared.labels);
const scalars = new Float32Array(shared.scalars);
const margins = new Float32Array(shared.margins);
const ownParams = view(w.param_buffer(), count);
const ownGrads = view(w.grad_buffer(), count);
const ownInputs = new Uint8Array(w.memory.buffer, w.input_buffer(), images.length);
const ownLabels = new Int32Array(w.memory.buffer, w.label_buffer(), labels.length);
let seen = 0;
for (;;) {
  Atomics.wait(control, ${REQUEST}, seen);
  const request = Atomics.load(control, ${REQUEST});
  if (request === ${STOP}) break;
  seen = request;
  const n = control[${SIZE}];
  ownParams.set(params);
  ownInputs.set(images.subarray(0, n * 784));
  ownLabels.set(labels.subarray(0, n));
  scalars[0] = w.forward_backward(n);
  control[${CORRECT}] = w.correct_count();
  grads.set(ownGrads);
  margins.set(view(w.margin_buffer(), 2 * n));
  Atomics.store(control, ${DONE}, request);
  Atomics.notify(control, ${DONE});
}
`;

interface SharedBuffers {
  control: SharedArrayBuffer;
  params: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  images: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  scalars: SharedArrayBuffer;
  margins: SharedArrayBuffer;
}

interface WorkerData {
  module: object;
  conv: number;
  pool: number;
  dense: number;
  smoothing: number;
  shared: SharedBuffers;
}

/** A half-step takes milliseconds; a minute without an answer means the worker is gone. */
const WORKER_TIMEOUT_MS = 60_000;

/** The smallest batch split over two threads: below it the handoff costs more than the half saves. */
export const SPLIT_MIN_BATCH = 8;

export class SplitLeNetStep implements StepComputer {
  readonly main: LeNetStep;
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly params: Float32Array;
  private readonly grads: Float32Array;
  private readonly images: Uint8Array;
  private readonly labels: Int32Array;
  private readonly scalars: Float32Array;
  private readonly margins: Float32Array;
  private request = 0;

  constructor(model: ModelOptions, labelSmoothing = 0) {
    this.main = new LeNetStep(model, labelSmoothing);
    const count = this.main.params.length;
    const half = Math.ceil(this.main.maxBatch / 2);
    const shared: SharedBuffers = {
      control: new SharedArrayBuffer(4 * 4),
      params: new SharedArrayBuffer(4 * count),
      grads: new SharedArrayBuffer(4 * count),
      images: new SharedArrayBuffer(half * 784),
      labels: new SharedArrayBuffer(4 * half),
      scalars: new SharedArrayBuffer(4),
      margins: new SharedArrayBuffer(4 * 2 * half),
    };
    this.control = new Int32Array(shared.control);
    this.params = new Float32Array(shared.params);
    this.grads = new Float32Array(shared.grads);
    this.images = new Uint8Array(shared.images);
    this.labels = new Int32Array(shared.labels);
    this.scalars = new Float32Array(shared.scalars);
    this.margins = new Float32Array(shared.margins);
    const data: WorkerData = { module: LeNetStep.module(), ...this.main.codes, shared };
    this.worker = new Worker(HALF_STEP_WORKER, { eval: true, workerData: data });
    // A trainer that ends without dispose() (a crash) must still exit.
    this.worker.unref();
  }

  /** As LeNetStep's, the batch's second part computed in the worker at the same time. */
  gradients: StepComputer['gradients'] = (images, labels, order, start, size) => {
    if (size < SPLIT_MIN_BATCH) return this.main.gradients(images, labels, order, start, size);
    const own = Math.ceil(size / 2);
    const other = size - own;
    for (let i = 0; i < other; i++) {
      const index = order[start + own + i];
      this.images.set(images.subarray(index * 784, index * 784 + 784), i * 784);
      this.labels[i] = labels[index];
    }
    this.params.set(this.main.params);
    this.control[SIZE] = other;
    const request = ++this.request;
    Atomics.store(this.control, REQUEST, request);
    Atomics.notify(this.control, REQUEST);
    const mine = this.main.gradients(images, labels, order, start, own);
    // Blocking: this thread has nothing else to do until the step's gradients are whole.
    if (Atomics.wait(this.control, DONE, request - 1, WORKER_TIMEOUT_MS) === 'timed-out')
      throw new Error(`the fused step's second thread did not answer within ${WORKER_TIMEOUT_MS / 1000} s`);
    // Each part's gradient is its own mean: the batch's is their mean weighted by the parts' sizes.
    const wMine = own / size;
    const wOther = other / size;
    const grads = this.main.grads;
    for (let i = 0; i < grads.length; i++) grads[i] = grads[i] * wMine + this.grads[i] * wOther;
    const margins = new Float32Array(2 * size);
    margins.set(mine.margins.subarray(0, own), 0);
    margins.set(this.margins.subarray(0, other), own);
    margins.set(mine.margins.subarray(own, 2 * own), size);
    margins.set(this.margins.subarray(other, 2 * other), size + own);
    return {
      loss: mine.loss * wMine + this.scalars[0] * wOther,
      correct: mine.correct + this.control[CORRECT],
      margins,
    };
  };

  adam(c: AdamStepConstants): void {
    this.main.adam(c);
  }

  dispose(): void {
    Atomics.store(this.control, REQUEST, STOP);
    Atomics.notify(this.control, REQUEST);
    void this.worker.terminate();
  }
}
