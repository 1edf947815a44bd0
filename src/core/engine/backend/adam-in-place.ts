/**
 * Adam over all of a model's variables in one JS call on the wasm heap, with L2 weight decay
 * folded into the gradient and subnormal results flushed to zero.
 *
 * - Moments in place: m and v are updated where they lie (our `adamStep` reads every element
 *   before writing it); one raw wasm call per variable instead of a kernel, three outputs and
 *   three assigns. The value gets a new buffer, assigned: the wasm backend caches XNNPACK
 *   operators with the weights packed inside, keyed by the weight's buffer, and drops them only
 *   when that buffer is freed, so a weight changed in place would be read stale by the next
 *   convolution or matrix product.
 * - Weight decay: g + λ·w (the gradient of (λ/2)·‖W‖², PyTorch's `weight_decay=λ`), in the
 *   float32 operations tfjs's `add(g, mul(w, λ))` would do, instead of an L2 term on the tape.
 * - Flush to zero: under Adam a weight that only the decay moves (a dead ReLU's) is pulled to 0
 *   through the subnormal floats, its moments with it. WebAssembly has no flush-to-zero mode and
 *   x86 multiplies subnormals ~100× slower, so the `modern` preset slowed down epoch after epoch.
 *   Subnormal weights and moments (|x| < 2⁻¹²⁶) are set to 0, as a CPU in FTZ/DAZ mode (and
 *   TensorFlow's own kernels) would; the numbers lost are below any float32 sum they enter.
 *
 * Declines (returns false) when the backend is not wasm or a buffer is shared with another
 * tensor, so the caller takes the general path.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ownModule, pointer } from './wasm-kernels/own-kernels';
import { adamConstants, type AdamStepAttrs } from './wasm-kernels/adam-step';

export interface AdamSlot {
  value: tf.Variable;
  m: tf.Variable;
  v: tf.Variable;
  gradient: tf.Tensor;
  /** λ for this variable (0: not decayed, e.g. a bias). */
  weightDecay: number;
}

const EXPONENT = 0x7f800000;

/** Zero every subnormal float of `t` (exponent bits all zero; −0 becomes +0). */
function flushSubnormals(backend: BackendWasm, t: tf.Tensor): void {
  const f = backend.typedArrayFromHeap(t) as Float32Array;
  const bits = new Int32Array(f.buffer, f.byteOffset, f.length);
  for (let i = 0; i < bits.length; i++) if ((bits[i] & EXPONENT) === 0) bits[i] = 0;
}

/** g ← g + λ·w in float32, as tfjs's add(g, mul(w, λ)) rounds it. */
function addDecay(backend: BackendWasm, gradient: tf.Tensor, value: tf.Tensor, weightDecay: number): void {
  const g = backend.typedArrayFromHeap(gradient) as Float32Array;
  const w = backend.typedArrayFromHeap(value) as Float32Array;
  const lambda = Math.fround(weightDecay);
  for (let i = 0; i < g.length; i++) g[i] = g[i] + Math.fround(w[i] * lambda);
}

/** Update every slot (moments in place); false (nothing done) when this backend or these buffers cannot. */
export function adamInPlace(slots: readonly AdamSlot[], attrs: AdamStepAttrs): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  const backend = tf.backend() as BackendWasm;
  const alone = (t: tf.Tensor) => t.dtype === 'float32' && backend.refCount(t.dataId) === 1;
  for (const s of slots) {
    if (![s.value, s.m, s.v].every(alone)) return false;
    if (s.weightDecay !== 0 && !alone(s.gradient)) return false;
  }
  const { kernels } = ownModule(backend);
  const constants = adamConstants(attrs);
  for (const s of slots) {
    if (s.weightDecay !== 0) addDecay(backend, s.gradient, s.value, s.weightDecay);
    const updated = tf.engine().makeTensorFromTensorInfo(backend.makeOutput(s.value.shape, 'float32'));
    // Pointers after the allocation (it may move nothing, but may grow the heap).
    const [w, m, v, g, out] = [s.value, s.m, s.v, s.gradient, updated].map((t) => pointer(backend, t));
    kernels.adamStep(w, m, v, g, out, m, v, s.value.size, ...constants);
    for (const t of [updated, s.m, s.v]) flushSubnormals(backend, t);
    s.value.assign(updated);
    updated.dispose();
  }
  return true;
}
