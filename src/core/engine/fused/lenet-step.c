/*
 * One LeNet-5 training step (forward, backward, Adam) in WebAssembly SIMD, for the builder's
 * 28×28 input, C5-as-dense configurations: conv 5×5 pad 2 1→6, act, pool 2×2, conv 5×5 6→16,
 * act, pool 2×2, dense 400→120, dense act, 120→84, dense act, 84→10, softmax cross-entropy.
 *
 * Why: tfjs's op-by-op engine spends most of a batch-32 step in per-kernel bookkeeping (~150
 * calls). Here a step is two calls. The parameters, gradients and Adam moments live in this
 * module's own memory in one flat buffer, each tensor in tfjs's layout and in the order of
 * `model.trainableWeights` (conv kernels [kh][kw][cin][cout], dense kernels [in][out]), so copying
 * to and from the tfjs model is one memcpy per tensor.
 *
 * Gradients are accumulated image by image (no batch-sized activations: everything an image
 * needs stays in L1/L2). Internal activation layouts are chosen per layer for SIMD: C1 planar
 * [c][y][x] (vectors along x), everything after channels-last (vectors along channels, and the
 * flatten order tfjs uses).
 *
 * Rebuild: node scripts/lenet-step.mjs (clang + lld, see there).
 */
#include <wasm_simd128.h>

typedef v128_t f4;

/* Exported to JavaScript under the function's own name. */
#define EXPORT(name) __attribute__((export_name(#name))) name

#define MAX_BATCH 4096
#define IMG 784

/* Parameter offsets (floats), tfjs's trainableWeights order. */
#define W1 0
#define B1 150
#define W2 156
#define B2 2556
#define W3 2572
#define B3 50572
#define W4 50692
#define B4 60772
#define W5 60856
#define B5 61696
#define PARAMS 61706
#define PARAMS_PADDED 61708

enum { ACT_NONE = 0, ACT_SIGMOID = 1, ACT_TANH = 2, ACT_RELU = 3 };
enum { POOL_AVG = 0, POOL_MAX = 1 };

static float params[PARAMS_PADDED];
static float grads[PARAMS_PADDED];
static float moment1[PARAMS_PADDED];
static float moment2[PARAMS_PADDED];
static unsigned char inputs[MAX_BATCH * IMG];
static int labels[MAX_BATCH];
/* pixel byte → float32 as tfjs's input tensor holds it (byte / 255 rounded from float64). */
static float pixel[256];

static int conv_act = ACT_SIGMOID, pool_kind = POOL_AVG, dense_act = ACT_NONE;
/* Label smoothing ε: the gradient's targets are (1 − ε)·one-hot + ε/10 (the reported loss stays plain). */
static float smoothing = 0.0f;
static int last_correct;
/* Each image's margin (its label's logit minus the largest other), then the class of that other. */
static float margins[2 * MAX_BATCH];

/* Per-image work buffers. */
static float xin[32 * 32];        /* padded image, planar */
static float a1[6 * 784];         /* C1 output after act, planar [c][y][x] */
static float p1[14 * 14 * 6];     /* S2, channels-last */
static float a2[10 * 10 * 16];    /* C3 after act, channels-last */
static float p2[400];             /* S4 = flatten, channels-last */
static float h1[120], h2[84], logits[12];
static float dh1[120], dh2[84], dlogits[12];
static float dp2[400], da2[1600], dp1[14 * 14 * 6], da1[6 * 784];

float *EXPORT(param_buffer)(void) { return params; }
float *EXPORT(grad_buffer)(void) { return grads; }
float *EXPORT(m_buffer)(void) { return moment1; }
float *EXPORT(v_buffer)(void) { return moment2; }
unsigned char *EXPORT(input_buffer)(void) { return inputs; }
int *EXPORT(label_buffer)(void) { return labels; }
float *EXPORT(pixel_table)(void) { return pixel; }
int EXPORT(max_batch)(void) { return MAX_BATCH; }
int EXPORT(param_count)(void) { return PARAMS; }
int EXPORT(correct_count)(void) { return last_correct; }
float *EXPORT(margin_buffer)(void) { return margins; }

/* 0 on success; 1 when a code or the smoothing (0 to 0.5, as the schema allows) is out of range. */
int EXPORT(configure)(int conv, int pool, int dense, float smooth) {
  if (conv < ACT_SIGMOID || conv > ACT_RELU || pool < POOL_AVG || pool > POOL_MAX || dense < ACT_NONE ||
      dense > ACT_RELU || !(smooth >= 0.0f && smooth <= 0.5f))
    return 1;
  conv_act = conv;
  pool_kind = pool;
  dense_act = dense;
  smoothing = smooth;
  return 0;
}

/* ── math ─────────────────────────────────────────────────────────────────────────────────── */

/* e^x, Cephes' expf polynomial (≈1 ulp on [−87, 88]). */
static f4 exp4(f4 x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(-87.3f)), wasm_f32x4_splat(88.3f));
  f4 fx = wasm_f32x4_floor(wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)),
                                          wasm_f32x4_splat(0.5f)));
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, wasm_f32x4_splat(0.693359375f)));
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, wasm_f32x4_splat(-2.12194440e-4f)));
  f4 y = wasm_f32x4_splat(1.9875691500e-4f);
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(1.3981999507e-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(8.3334519073e-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(4.1665795894e-2f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(1.6666665459e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(5.0000001201e-1f));
  y = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(y, wasm_f32x4_mul(x, x)), x), wasm_f32x4_splat(1.0f));
  v128_t n = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(fx), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(y, n);
}

/* ln x for x > 0 (Cephes' logf). */
static float log1(float x) {
  union { float f; int i; } u = {x};
  int e = ((u.i >> 23) & 0xff) - 126;
  u.i = (u.i & 0x807fffff) | 0x3f000000; /* mantissa in [0.5, 1) */
  float m = u.f;
  if (m < 0.707106781186547524f) { e -= 1; m = m + m - 1.0f; } else { m = m - 1.0f; }
  float z = m * m;
  float y = 7.0376836292e-2f;
  y = y * m - 1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m - 1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m - 1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m - 2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  y += -2.12194440e-4f * (float)e;
  y += -0.5f * z;
  return m + y + 0.693359375f * (float)e;
}

static float max2(float a, float b) { return a > b ? a : b; }

static float hsum(f4 v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}

/* In place over n floats (n % 4 == 0). */
static void activate(float *x, int n, int act) {
  f4 one = wasm_f32x4_splat(1.0f), zero = wasm_f32x4_splat(0.0f);
  for (int i = 0; i < n; i += 4) {
    f4 v = wasm_v128_load(x + i);
    switch (act) {
      case ACT_SIGMOID: v = wasm_f32x4_div(one, wasm_f32x4_add(one, exp4(wasm_f32x4_neg(v)))); break;
      case ACT_TANH: {
        /* tanh v = 1 − 2/(e^{2v}+1) */
        f4 e = exp4(wasm_f32x4_add(v, v));
        v = wasm_f32x4_sub(one, wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(e, one)));
        break;
      }
      case ACT_RELU: v = wasm_f32x4_max(v, zero); break;
      default: break;
    }
    wasm_v128_store(x + i, v);
  }
}

/* d ← d · act'(y) from the activation's output y, n % 4 == 0. */
static void activate_back(float *d, const float *y, int n, int act) {
  if (act == ACT_NONE) return;
  f4 one = wasm_f32x4_splat(1.0f), zero = wasm_f32x4_splat(0.0f);
  for (int i = 0; i < n; i += 4) {
    f4 g = wasm_v128_load(d + i), v = wasm_v128_load(y + i);
    switch (act) {
      case ACT_SIGMOID: g = wasm_f32x4_mul(g, wasm_f32x4_mul(v, wasm_f32x4_sub(one, v))); break;
      case ACT_TANH: g = wasm_f32x4_mul(g, wasm_f32x4_sub(one, wasm_f32x4_mul(v, v))); break;
      case ACT_RELU: g = wasm_v128_and(g, wasm_f32x4_gt(v, zero)); break;
      default: break;
    }
    wasm_v128_store(d + i, g);
  }
}

/* ── layers ───────────────────────────────────────────────────────────────────────────────── */

static void conv1_forward(void) {
  const float *w = params + W1;
  for (int c = 0; c < 6; c++) {
    f4 bias = wasm_f32x4_splat(params[B1 + c]);
    for (int y = 0; y < 28; y++) {
      f4 acc[7];
      for (int v = 0; v < 7; v++) acc[v] = bias;
      for (int kh = 0; kh < 5; kh++) {
        const float *row = xin + (y + kh) * 32;
        for (int kw = 0; kw < 5; kw++) {
          f4 k = wasm_f32x4_splat(w[(kh * 5 + kw) * 6 + c]);
          for (int v = 0; v < 7; v++) acc[v] = wasm_f32x4_add(acc[v], wasm_f32x4_mul(k, wasm_v128_load(row + kw + 4 * v)));
        }
      }
      for (int v = 0; v < 7; v++) wasm_v128_store(a1 + c * 784 + y * 28 + 4 * v, acc[v]);
    }
  }
}

/* 2×2 stride-2 pool of planar a1 [6][28][28] into channels-last p1 [14][14][6]. */
static void pool1_forward(void) {
  for (int c = 0; c < 6; c++)
    for (int y = 0; y < 14; y++)
      for (int x = 0; x < 14; x++) {
        const float *s = a1 + c * 784 + 2 * y * 28 + 2 * x;
        float r = pool_kind == POOL_MAX ? max2(max2(s[0], s[1]), max2(s[28], s[29]))
                                        : (s[0] + s[1] + s[28] + s[29]) * 0.25f;
        p1[(y * 14 + x) * 6 + c] = r;
      }
}

/*
 * One 2×2 window's gradient g into d (the window's input s; `right`, `down` the strides of a step
 * along x and y): all of it to the window's max `top` (its first in row-major order on ties, as
 * tfjs's MaxPoolGrad), or a quarter to each for average pooling.
 */
static void pool_window_backward(const float *s, float *d, int right, int down, float top, float g) {
  const int at[4] = {0, right, down, down + right};
  if (pool_kind == POOL_MAX) {
    int k = 0;
    while (k < 3 && s[at[k]] != top) k++;
    for (int j = 0; j < 4; j++) d[at[j]] = j == k ? g : 0.0f;
  } else {
    for (int j = 0; j < 4; j++) d[at[j]] = g * 0.25f;
  }
}

/* dp1 (channels-last) → da1 (planar): the gradient to the window's max (its first on ties), or a quarter each. */
static void pool1_backward(void) {
  for (int c = 0; c < 6; c++)
    for (int y = 0; y < 14; y++)
      for (int x = 0; x < 14; x++) {
        float g = dp1[(y * 14 + x) * 6 + c];
        int at = c * 784 + 2 * y * 28 + 2 * x;
        pool_window_backward(a1 + at, da1 + at, 1, 28, p1[(y * 14 + x) * 6 + c], g);
      }
}

static void conv2_forward(void) {
  const float *w = params + W2;
  for (int oy = 0; oy < 10; oy++)
    for (int ox = 0; ox < 10; ox += 2) {
      f4 acc[8];
      for (int j = 0; j < 4; j++) acc[j] = acc[j + 4] = wasm_v128_load(params + B2 + 4 * j);
      for (int kh = 0; kh < 5; kh++)
        for (int kw = 0; kw < 5; kw++) {
          const float *in = p1 + ((oy + kh) * 14 + ox + kw) * 6;
          const float *wk = w + (kh * 5 + kw) * 96;
          for (int ci = 0; ci < 6; ci++) {
            f4 s0 = wasm_f32x4_splat(in[ci]), s1 = wasm_f32x4_splat(in[ci + 6]);
            for (int j = 0; j < 4; j++) {
              f4 k = wasm_v128_load(wk + ci * 16 + 4 * j);
              acc[j] = wasm_f32x4_add(acc[j], wasm_f32x4_mul(s0, k));
              acc[j + 4] = wasm_f32x4_add(acc[j + 4], wasm_f32x4_mul(s1, k));
            }
          }
        }
      float *out = a2 + (oy * 10 + ox) * 16;
      for (int j = 0; j < 8; j++) wasm_v128_store(out + 4 * j, acc[j]);
    }
}

/* dz2 in da2 (channels-last); accumulates dW2, db2 and writes dp1. */
static void conv2_backward(void) {
  const float *w = params + W2;
  float *dw = grads + W2;
  for (int i = 0; i < 14 * 14 * 6; i++) dp1[i] = 0.0f;
  for (int pos = 0; pos < 100; pos++) {
    int oy = pos / 10, ox = pos % 10;
    f4 dz[4];
    for (int j = 0; j < 4; j++) {
      dz[j] = wasm_v128_load(da2 + pos * 16 + 4 * j);
      wasm_v128_store(grads + B2 + 4 * j, wasm_f32x4_add(wasm_v128_load(grads + B2 + 4 * j), dz[j]));
    }
    for (int kh = 0; kh < 5; kh++)
      for (int kw = 0; kw < 5; kw++) {
        int at = ((oy + kh) * 14 + ox + kw) * 6;
        const float *in = p1 + at;
        float *din = dp1 + at;
        int k0 = (kh * 5 + kw) * 96;
        for (int ci = 0; ci < 6; ci++) {
          f4 s = wasm_f32x4_splat(in[ci]);
          f4 t = wasm_f32x4_splat(0.0f);
          for (int j = 0; j < 4; j++) {
            int o = k0 + ci * 16 + 4 * j;
            wasm_v128_store(dw + o, wasm_f32x4_add(wasm_v128_load(dw + o), wasm_f32x4_mul(s, dz[j])));
            t = wasm_f32x4_add(t, wasm_f32x4_mul(wasm_v128_load(w + o), dz[j]));
          }
          din[ci] += hsum(t);
        }
      }
  }
}

/* dz1 in da1 (planar); accumulates dW1 and db1 (the image needs no gradient). */
static void conv1_backward(void) {
  for (int c = 0; c < 6; c++) {
    const float *dz = da1 + c * 784;
    f4 sum = wasm_f32x4_splat(0.0f);
    for (int i = 0; i < 784; i += 4) sum = wasm_f32x4_add(sum, wasm_v128_load(dz + i));
    grads[B1 + c] += hsum(sum);
    for (int kh = 0; kh < 5; kh++)
      for (int kw = 0; kw < 5; kw++) {
        f4 acc = wasm_f32x4_splat(0.0f);
        for (int y = 0; y < 28; y++) {
          const float *row = xin + (y + kh) * 32 + kw;
          const float *d = dz + y * 28;
          for (int v = 0; v < 7; v++)
            acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(d + 4 * v), wasm_v128_load(row + 4 * v)));
        }
        grads[W1 + (kh * 5 + kw) * 6 + c] += hsum(acc);
      }
  }
}

/* 2×2 stride-2 pool of channels-last a2 [10][10][16] into p2 [5][5][16]. */
static void pool2_forward(void) {
  for (int y = 0; y < 5; y++)
    for (int x = 0; x < 5; x++)
      for (int j = 0; j < 4; j++) {
        const float *s = a2 + ((2 * y) * 10 + 2 * x) * 16 + 4 * j;
        f4 a = wasm_v128_load(s), b = wasm_v128_load(s + 16), c = wasm_v128_load(s + 160), d = wasm_v128_load(s + 176);
        f4 r = pool_kind == POOL_MAX
                   ? wasm_f32x4_max(wasm_f32x4_max(a, b), wasm_f32x4_max(c, d))
                   : wasm_f32x4_mul(wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(a, b), c), d), wasm_f32x4_splat(0.25f));
        wasm_v128_store(p2 + (y * 5 + x) * 16 + 4 * j, r);
      }
}

static void pool2_backward(void) {
  for (int y = 0; y < 5; y++)
    for (int x = 0; x < 5; x++)
      for (int c = 0; c < 16; c++) {
        int at = ((2 * y) * 10 + 2 * x) * 16 + c;
        float g = dp2[(y * 5 + x) * 16 + c];
        pool_window_backward(a2 + at, da2 + at, 16, 160, p2[(y * 5 + x) * 16 + c], g);
      }
}

/* out[j] = b[j] + Σ_k in[k]·W[k][j]; vectors over j, a scalar tail for nout % 4. */
static void dense_forward(const float *in, int nin, int w, int b, int nout, float *out) {
  int j = 0;
  for (; j + 16 <= nout || (j + 8 <= nout && nout - j < 16); ) {
    int width = nout - j >= 24 ? 24 : (nout - j >= 16 ? 16 : 8);
    int vecs = width / 4;
    f4 acc[6];
    for (int v = 0; v < vecs; v++) acc[v] = wasm_v128_load(params + b + j + 4 * v);
    for (int k = 0; k < nin; k++) {
      f4 s = wasm_f32x4_splat(in[k]);
      const float *row = params + w + k * nout + j;
      for (int v = 0; v < vecs; v++) acc[v] = wasm_f32x4_add(acc[v], wasm_f32x4_mul(s, wasm_v128_load(row + 4 * v)));
    }
    for (int v = 0; v < vecs; v++) wasm_v128_store(out + j + 4 * v, acc[v]);
    j += width;
  }
  for (; j < nout; j++) {
    float acc = params[b + j];
    for (int k = 0; k < nin; k++) acc += in[k] * params[w + k * nout + j];
    out[j] = acc;
  }
}

/* dW += in ⊗ dz, db += dz, din = W·dz (din may be 0: not wanted). */
static void dense_backward(const float *in, int nin, int w, int b, int nout, const float *dz, float *din) {
  int vecs = nout / 4;
  for (int j = 0; j < nout; j++) grads[b + j] += dz[j];
  for (int k = 0; k < nin; k++) {
    f4 s = wasm_f32x4_splat(in[k]);
    f4 t = wasm_f32x4_splat(0.0f);
    float ts = 0.0f;
    const float *row = params + w + k * nout;
    float *grow = grads + w + k * nout;
    for (int v = 0; v < vecs; v++) {
      f4 d = wasm_v128_load(dz + 4 * v);
      wasm_v128_store(grow + 4 * v, wasm_f32x4_add(wasm_v128_load(grow + 4 * v), wasm_f32x4_mul(s, d)));
      t = wasm_f32x4_add(t, wasm_f32x4_mul(wasm_v128_load(row + 4 * v), d));
    }
    for (int j = vecs * 4; j < nout; j++) {
      grow[j] += in[k] * dz[j];
      ts += row[j] * dz[j];
    }
    if (din) din[k] = hsum(t) + ts;
  }
}

/* ── the step ─────────────────────────────────────────────────────────────────────────────── */

/*
 * Forward and backward over the n images in input_buffer (bytes) with label_buffer: grad_buffer
 * gets the gradient of the batch's mean cross-entropy (against targets smoothed by `smoothing`).
 * Returns the mean cross-entropy against the plain labels (as the tfjs step reports it); correct_count() the
 * number of images whose highest logit (the first, on ties) is the label.
 */
float EXPORT(forward_backward)(int n) {
  if (n < 1 || n > MAX_BATCH) return -1.0f;
  for (int i = 0; i < PARAMS_PADDED; i++) grads[i] = 0.0f;
  for (int i = 0; i < 32 * 32; i++) xin[i] = 0.0f;
  float loss = 0.0f, inv_n = 1.0f / (float)n;
  int correct = 0;
  for (int img = 0; img < n; img++) {
    const unsigned char *bytes = inputs + img * IMG;
    for (int y = 0; y < 28; y++)
      for (int x = 0; x < 28; x++) xin[(y + 2) * 32 + x + 2] = pixel[bytes[y * 28 + x]];
    conv1_forward();
    activate(a1, 6 * 784, conv_act);
    pool1_forward();
    conv2_forward();
    activate(a2, 1600, conv_act);
    pool2_forward();
    dense_forward(p2, 400, W3, B3, 120, h1);
    activate(h1, 120, dense_act);
    dense_forward(h1, 120, W4, B4, 84, h2);
    activate(h2, 84, dense_act);
    dense_forward(h2, 84, W5, B5, 10, logits);

    int label = labels[img];
    float top = logits[0];
    int arg = 0;
    for (int j = 1; j < 10; j++)
      if (logits[j] > top) { top = logits[j]; arg = j; }
    correct += arg == label;
    /* The largest other logit (the first, on ties, as tfjs's argMax): the label-audit margin. */
    int other = label == 0 ? 1 : 0;
    for (int j = other + 1; j < 10; j++)
      if (j != label && logits[j] > logits[other]) other = j;
    margins[img] = logits[label] - logits[other];
    margins[n + img] = (float)other;
    logits[10] = logits[11] = top;
    f4 e[3];
    f4 mx = wasm_f32x4_splat(top);
    for (int v = 0; v < 3; v++) e[v] = exp4(wasm_f32x4_sub(wasm_v128_load(logits + 4 * v), mx));
    float p[12];
    for (int v = 0; v < 3; v++) wasm_v128_store(p + 4 * v, e[v]);
    float sum = 0.0f;
    for (int j = 0; j < 10; j++) sum += p[j];
    loss += log1(sum) - (logits[label] - top);
    /* The mean cross-entropy against the smoothed targets, whose gradient is softmax − target. */
    const float off = smoothing * 0.1f, on = 1.0f - smoothing + off;
    for (int j = 0; j < 10; j++) dlogits[j] = (p[j] / sum - (j == label ? on : off)) * inv_n;

    dense_backward(h2, 84, W5, B5, 10, dlogits, dh2);
    activate_back(dh2, h2, 84, dense_act);
    dense_backward(h1, 120, W4, B4, 84, dh2, dh1);
    activate_back(dh1, h1, 120, dense_act);
    dense_backward(p2, 400, W3, B3, 120, dh1, dp2);
    pool2_backward();
    activate_back(da2, a2, 1600, conv_act);
    conv2_backward();
    pool1_backward();
    activate_back(da1, a1, 6 * 784, conv_act);
    conv1_backward();
  }
  last_correct = correct;
  return loss * inv_n;
}

static int is_kernel(int i) {
  return i < B1 || (i >= W2 && i < B2) || (i >= W3 && i < B3) || (i >= W4 && i < B4) || (i >= W5 && i < B5);
}

/* Zero a subnormal (exponent bits all zero), as adam-in-place.ts does. */
static float flush(float x) {
  union { float f; int i; } u = {x};
  return (u.i & 0x7f800000) == 0 ? 0.0f : x;
}

/*
 * Adam on every parameter from grad_buffer, tfjs's float32 operations in its order (see
 * scripts/wasm-kernels.mjs adamStep), after g ← g + λ·w on kernels; subnormals flushed.
 * c1 = 1 − β₁ᵗ, c2 = 1 − β₂ᵗ.
 */
void EXPORT(adam)(float b1, float one_minus_b1, float b2, float one_minus_b2, float c1, float c2, float eps, float neg_lr,
          float lambda) {
  for (int i = 0; i < PARAMS; i++) {
    float w = params[i], g = grads[i];
    if (lambda != 0.0f && is_kernel(i)) g = g + w * lambda;
    float m = moment1[i] * b1 + g * one_minus_b1;
    float v = moment2[i] * b2 + (g * g) * one_minus_b2;
    float out = ((m / c1) / (__builtin_sqrtf(v / c2) + eps)) * neg_lr + w;
    moment1[i] = flush(m);
    moment2[i] = flush(v);
    params[i] = flush(out);
  }
}
