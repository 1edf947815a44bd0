/**
 * The project's own WebAssembly SIMD kernels: their WAT source is generated here (the loop bodies
 * are unrolled per filter tap) and compiled with wabt into a base64 TypeScript module the engine
 * imports, so the app needs no WebAssembly toolchain at run time.
 *
 *   node scripts/wasm-kernels.mjs      rewrites src/core/engine/backend/wasm-kernels/own-kernels.wasm.ts
 *
 * One module holds them all, on the wasm backend's own memory (so they read and write its tensors in
 * place), in two variants that differ only in that import: shared for the threaded build, plain
 * for the other. `taps5`/`taps1` for
 * Conv2DBackpropFilter, `inputGrad1`…`inputGrad6` for Conv2DBackpropInput, `conv1ch1`…`conv1ch6`
 * for a one-channel FusedConv2D.
 * test/unit/wasm-kernels.test.ts checks that the committed module is what this source compiles to.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OWN_KERNELS_MODULE = path.join(ROOT, 'src/core/engine/backend/wasm-kernels/own-kernels.wasm.ts');

/** Filter columns per call of each exported function (`taps${n}`). */
export const TAP_COUNTS = [5, 1];

/**
 * One `taps${n}` function: for one filter row kh, one input channel c and one group of 8 output
 * channels, add to out[k·8 … k·8+7] (k < n, consecutive filter columns kw0+k) the sum over
 * b < batch, r < rows, q < cols of
 *   x[x + b·xBatch + r·xRow + q·xCol + k·tap] · dy[p·dyPix … +8 lanes], p = (b·rows + r)·cols + q
 * (byte addresses and strides; dy's pixels are consecutive). Each pair of dy vectors loaded is used
 * n times from registers; n = 5 keeps the 2n accumulators, the dy pair and the broadcast x in the
 * 16 SIMD registers of x86-64.
 */
function tapsFunction(n) {
  const accs = Array.from({ length: 2 * n }, (_, i) => `$a${i}`);
  const lines = [
    `  (func $taps${n} (export "taps${n}")`,
    '    (param $x i32) (param $dy i32) (param $out i32) (param $batch i32) (param $rows i32) (param $cols i32)',
    '    (param $xBatch i32) (param $xRow i32) (param $xCol i32) (param $tap i32) (param $dyPix i32)',
    `    ${accs.map((a) => `(local ${a} v128)`).join(' ')}`,
    '    (local $d0 v128) (local $d1 v128) (local $v v128)',
    '    (local $b i32) (local $r i32) (local $q i32) (local $xb i32) (local $xr i32) (local $xp i32)',
    ...accs.map((a, i) => `    (local.set ${a} (v128.load offset=${16 * i} (local.get $out)))`),
    '    (local.set $xb (local.get $x))',
    '    (local.set $b (local.get $batch))',
    '    (block $batchDone (loop $batchLoop',
    '      (br_if $batchDone (i32.eqz (local.get $b)))',
    '      (local.set $xr (local.get $xb))',
    '      (local.set $r (local.get $rows))',
    '      (block $rowDone (loop $rowLoop',
    '        (br_if $rowDone (i32.eqz (local.get $r)))',
    '        (local.set $xp (local.get $xr))',
    '        (local.set $q (local.get $cols))',
    '        (block $colDone (loop $colLoop',
    '          (br_if $colDone (i32.eqz (local.get $q)))',
    '          (local.set $d0 (v128.load (local.get $dy)))',
    '          (local.set $d1 (v128.load offset=16 (local.get $dy)))',
  ];
  for (let k = 0; k < n; k++) {
    const address =
      k === 0 ? '(local.get $xp)' : `(i32.add (local.get $xp) (i32.mul (local.get $tap) (i32.const ${k})))`;
    lines.push(
      `          (local.set $v (f32x4.splat (f32.load ${address})))`,
      `          (local.set $a${2 * k} (f32x4.add (local.get $a${2 * k}) (f32x4.mul (local.get $v) (local.get $d0))))`,
      `          (local.set $a${2 * k + 1} (f32x4.add (local.get $a${2 * k + 1}) (f32x4.mul (local.get $v) (local.get $d1))))`,
    );
  }
  lines.push(
    '          (local.set $xp (i32.add (local.get $xp) (local.get $xCol)))',
    '          (local.set $dy (i32.add (local.get $dy) (local.get $dyPix)))',
    '          (local.set $q (i32.sub (local.get $q) (i32.const 1)))',
    '          (br $colLoop)))',
    '        (local.set $xr (i32.add (local.get $xr) (local.get $xRow)))',
    '        (local.set $r (i32.sub (local.get $r) (i32.const 1)))',
    '        (br $rowLoop)))',
    '      (local.set $xb (i32.add (local.get $xb) (local.get $xBatch)))',
    '      (local.set $b (i32.sub (local.get $b) (i32.const 1)))',
    '      (br $batchLoop)))',
    ...accs.map((a, i) => `    (v128.store offset=${16 * i} (local.get $out) (local.get ${a}))`),
    '  )',
  );
  return lines.join('\n');
}

/**
 * `filterGradTasks`: Conv2DBackpropFilter's calls of `taps5`/`taps1` for the tasks t0 ≤ t < t1 of
 * one batch chunk, task t being filter row t / C and input channel t % C (every group of 8 output
 * channels, every filter column). Tasks write disjoint sums, so threads can take ranges of them
 * (wasm-kernels/own-kernel-pool.ts). Byte pointers: x and dy at the chunk's first image.
 */
function filterGradTasksFunction() {
  return [
    '  (func $filterGradTasks (export "filterGradTasks")',
    '    (param $xBase i32) (param $dyBase i32) (param $sumBase i32) (param $t0 i32) (param $t1 i32) (param $c i32)',
    '    (param $groups i32) (param $kw i32) (param $paddedWidth i32) (param $images i32) (param $rows i32) (param $cols i32)',
    '    (param $xBatch i32) (param $xRow i32) (param $xCol i32) (param $tap i32) (param $dyPix i32)',
    '    (local $t i32) (local $g i32) (local $col i32) (local $xp i32) (local $dp i32) (local $sp i32)',
    '    (local.set $t (local.get $t0))',
    '    (block $tDone (loop $tLoop',
    '      (br_if $tDone (i32.ge_u (local.get $t) (local.get $t1)))',
    '      (local.set $g (i32.const 0))',
    '      (block $gDone (loop $gLoop',
    '        (br_if $gDone (i32.ge_u (local.get $g) (local.get $groups)))',
    '        (local.set $col (i32.const 0))',
    '        (block $colDone (loop $colLoop',
    '          (br_if $colDone (i32.ge_u (local.get $col) (local.get $kw)))',
    // xp = xBase + ((row·paddedWidth + col)·C + ch)·4, row = t / C, ch = t % C
    '          (local.set $xp (i32.add (local.get $xBase) (i32.shl (i32.add (i32.mul (i32.add (i32.mul',
    '            (i32.div_u (local.get $t) (local.get $c)) (local.get $paddedWidth)) (local.get $col)) (local.get $c))',
    '            (i32.rem_u (local.get $t) (local.get $c))) (i32.const 2))))',
    '          (local.set $dp (i32.add (local.get $dyBase) (i32.shl (local.get $g) (i32.const 5))))',
    // sp = sumBase + ((t·groups + g)·kw + col)·32
    '          (local.set $sp (i32.add (local.get $sumBase) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $t)',
    '            (local.get $groups)) (local.get $g)) (local.get $kw)) (local.get $col)) (i32.const 5))))',
    '          (if (i32.ge_s (i32.sub (local.get $kw) (local.get $col)) (i32.const 5))',
    '            (then',
    '              (call $taps5 (local.get $xp) (local.get $dp) (local.get $sp) (local.get $images) (local.get $rows)',
    '                (local.get $cols) (local.get $xBatch) (local.get $xRow) (local.get $xCol) (local.get $tap) (local.get $dyPix))',
    '              (local.set $col (i32.add (local.get $col) (i32.const 5))))',
    '            (else',
    '              (call $taps1 (local.get $xp) (local.get $dp) (local.get $sp) (local.get $images) (local.get $rows)',
    '                (local.get $cols) (local.get $xBatch) (local.get $xRow) (local.get $xCol) (local.get $tap) (local.get $dyPix))',
    '              (local.set $col (i32.add (local.get $col) (i32.const 1)))))',
    '          (br $colLoop)))',
    '        (local.set $g (i32.add (local.get $g) (i32.const 1)))',
    '        (br $gLoop)))',
    '      (local.set $t (i32.add (local.get $t) (i32.const 1)))',
    '      (br $tLoop)))',
    '  )',
  ].join('\n');
}

/**
 * `filterGradChunks`: Conv2DBackpropFilter for the batch chunks k0 ≤ k < k1 (every task of each),
 * chunk k being images k·chunkImages … (the last one may be short), each summed from zero into its
 * own sums at sumBase + k·sumBytes, so threads can take ranges of chunks and the result does not
 * depend on how many did (JS adds the chunks' sums in order). The last chunk's dy is read from
 * `lastDy` (a copy with slack after it, when co is not whole 8-lane groups), the others' in place.
 */
function filterGradChunksFunction() {
  return [
    '  (func (export "filterGradChunks")',
    '    (param $x i32) (param $dy i32) (param $lastDy i32) (param $sumBase i32) (param $sumBytes i32) (param $k0 i32) (param $k1 i32)',
    '    (param $batch i32) (param $chunkImages i32) (param $tasks i32) (param $c i32) (param $groups i32) (param $kw i32)',
    '    (param $paddedWidth i32) (param $rows i32) (param $cols i32) (param $xBatch i32) (param $xRow i32) (param $xCol i32)',
    '    (param $tap i32) (param $dyPix i32)',
    '    (local $k i32) (local $b0 i32) (local $images i32) (local $dyAt i32) (local $sp i32)',
    '    (local.set $k (local.get $k0))',
    '    (block $done (loop $chunkLoop',
    '      (br_if $done (i32.ge_u (local.get $k) (local.get $k1)))',
    '      (local.set $b0 (i32.mul (local.get $k) (local.get $chunkImages)))',
    '      (local.set $images (i32.sub (local.get $batch) (local.get $b0)))',
    '      (if (i32.gt_u (local.get $images) (local.get $chunkImages)) (then (local.set $images (local.get $chunkImages))))',
    '      (local.set $dyAt (i32.add (local.get $dy) (i32.mul (local.get $b0) (i32.mul (i32.mul (local.get $rows) (local.get $cols)) (local.get $dyPix)))))',
    '      (if (i32.ge_u (i32.add (local.get $b0) (local.get $images)) (local.get $batch)) (then (local.set $dyAt (local.get $lastDy))))',
    '      (local.set $sp (i32.add (local.get $sumBase) (i32.mul (local.get $k) (local.get $sumBytes))))',
    '      (memory.fill (local.get $sp) (i32.const 0) (local.get $sumBytes))',
    '      (call $filterGradTasks (i32.add (local.get $x) (i32.mul (local.get $b0) (local.get $xBatch))) (local.get $dyAt)',
    '        (local.get $sp) (i32.const 0) (local.get $tasks) (local.get $c) (local.get $groups) (local.get $kw)',
    '        (local.get $paddedWidth) (local.get $images) (local.get $rows) (local.get $cols) (local.get $xBatch)',
    '        (local.get $xRow) (local.get $xCol) (local.get $tap) (local.get $dyPix))',
    '      (local.set $k (i32.add (local.get $k) (i32.const 1)))',
    '      (br $chunkLoop)))',
    '  )',
  ].join('\n');
}

/**
 * `padImages`: images b0 … b0+count−1 of src [B][H][W][C] into dst [B][PH][PW][C] with x at row
 * `top`, column `left` and zeros around (rows and columns past PH, PW dropped), by bulk memory
 * copies and fills; threads take ranges of images. Byte pointers at image 0; sizes in elements.
 */
function padImagesFunction() {
  return [
    '  (func (export "padImages")',
    '    (param $src i32) (param $dst i32) (param $b0 i32) (param $count i32) (param $H i32) (param $W i32) (param $C i32)',
    '    (param $PH i32) (param $PW i32) (param $top i32) (param $left i32)',
    '    (local $b i32) (local $pr i32) (local $s i32) (local $d i32) (local $srcRow i32) (local $dstRow i32)',
    '    (local $leftBytes i32) (local $copyBytes i32)',
    '    (local.set $srcRow (i32.shl (i32.mul (local.get $W) (local.get $C)) (i32.const 2)))',
    '    (local.set $dstRow (i32.shl (i32.mul (local.get $PW) (local.get $C)) (i32.const 2)))',
    '    (local.set $leftBytes (i32.shl (i32.mul (local.get $left) (local.get $C)) (i32.const 2)))',
    '    (local.set $copyBytes (local.get $srcRow))',
    '    (if (i32.gt_u (i32.add (local.get $leftBytes) (local.get $copyBytes)) (local.get $dstRow))',
    '      (then (local.set $copyBytes (i32.sub (local.get $dstRow) (local.get $leftBytes)))))',
    '    (local.set $b (local.get $b0))',
    '    (block $bDone (loop $bLoop',
    '      (br_if $bDone (i32.ge_u (local.get $b) (i32.add (local.get $b0) (local.get $count))))',
    '      (local.set $s (i32.add (local.get $src) (i32.mul (i32.mul (local.get $b) (local.get $H)) (local.get $srcRow))))',
    '      (local.set $d (i32.add (local.get $dst) (i32.mul (i32.mul (local.get $b) (local.get $PH)) (local.get $dstRow))))',
    '      (local.set $pr (i32.const 0))',
    '      (block $rDone (loop $rLoop',
    '        (br_if $rDone (i32.ge_u (local.get $pr) (local.get $PH)))',
    '        (if (i32.and (i32.ge_u (local.get $pr) (local.get $top)) (i32.lt_u (local.get $pr) (i32.add (local.get $top) (local.get $H))))',
    '          (then',
    '            (memory.fill (local.get $d) (i32.const 0) (local.get $leftBytes))',
    '            (memory.copy (i32.add (local.get $d) (local.get $leftBytes)) (local.get $s) (local.get $copyBytes))',
    '            (memory.fill (i32.add (i32.add (local.get $d) (local.get $leftBytes)) (local.get $copyBytes)) (i32.const 0)',
    '              (i32.sub (i32.sub (local.get $dstRow) (local.get $leftBytes)) (local.get $copyBytes)))',
    '            (local.set $s (i32.add (local.get $s) (local.get $srcRow))))',
    '          (else (memory.fill (local.get $d) (i32.const 0) (local.get $dstRow))))',
    '        (local.set $d (i32.add (local.get $d) (local.get $dstRow)))',
    '        (local.set $pr (i32.add (local.get $pr) (i32.const 1)))',
    '        (br $rLoop)))',
    '      (local.set $b (i32.add (local.get $b) (i32.const 1)))',
    '      (br $bLoop)))',
    '  )',
  ].join('\n');
}

/**
 * `sumRowChunks`: for the chunks k0 ≤ k < k1 of `chunkRows` rows of src [rows][cols], the column
 * sums of the chunk's rows, into partials + k·colsPadded·4 (colsPadded: cols rounded up to whole
 * vectors). A Sum over a tensor's leading axes (a bias gradient); threads take ranges of chunks
 * and JS adds the partials in order, so the result does not depend on how many did.
 */
function sumRowChunksFunction() {
  return [
    '  (func (export "sumRowChunks")',
    '    (param $src i32) (param $partials i32) (param $rows i32) (param $cols i32) (param $chunkRows i32)',
    '    (param $k0 i32) (param $k1 i32)',
    '    (local $k i32) (local $r i32) (local $rEnd i32) (local $p i32) (local $s i32) (local $c i32)',
    '    (local $full i32) (local $rowBytes i32) (local $paddedBytes i32)',
    '    (local.set $full (i32.and (local.get $cols) (i32.const -4)))',
    '    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))',
    '    (local.set $paddedBytes (i32.shl (i32.and (i32.add (local.get $cols) (i32.const 3)) (i32.const -4)) (i32.const 2)))',
    '    (local.set $k (local.get $k0))',
    '    (block $kDone (loop $kLoop',
    '      (br_if $kDone (i32.ge_u (local.get $k) (local.get $k1)))',
    '      (local.set $p (i32.add (local.get $partials) (i32.mul (local.get $k) (local.get $paddedBytes))))',
    '      (memory.fill (local.get $p) (i32.const 0) (local.get $paddedBytes))',
    '      (local.set $r (i32.mul (local.get $k) (local.get $chunkRows)))',
    '      (local.set $rEnd (i32.add (local.get $r) (local.get $chunkRows)))',
    '      (if (i32.gt_u (local.get $rEnd) (local.get $rows)) (then (local.set $rEnd (local.get $rows))))',
    '      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $rowBytes))))',
    '      (block $rDone (loop $rLoop',
    '        (br_if $rDone (i32.ge_u (local.get $r) (local.get $rEnd)))',
    '        (local.set $c (i32.const 0))',
    '        (block $vDone (loop $vLoop',
    '          (br_if $vDone (i32.ge_u (local.get $c) (local.get $full)))',
    '          (v128.store (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2)))',
    '            (f32x4.add (v128.load (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2))))',
    '              (v128.load (i32.add (local.get $s) (i32.shl (local.get $c) (i32.const 2))))))',
    '          (local.set $c (i32.add (local.get $c) (i32.const 4)))',
    '          (br $vLoop)))',
    '        (block $tDone (loop $tLoop',
    '          (br_if $tDone (i32.ge_u (local.get $c) (local.get $cols)))',
    '          (f32.store (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2)))',
    '            (f32.add (f32.load (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2))))',
    '              (f32.load (i32.add (local.get $s) (i32.shl (local.get $c) (i32.const 2))))))',
    '          (local.set $c (i32.add (local.get $c) (i32.const 1)))',
    '          (br $tLoop)))',
    '        (local.set $s (i32.add (local.get $s) (local.get $rowBytes)))',
    '        (local.set $r (i32.add (local.get $r) (i32.const 1)))',
    '        (br $rLoop)))',
    '      (local.set $k (i32.add (local.get $k) (i32.const 1)))',
    '      (br $kLoop)))',
    '  )',
  ].join('\n');
}

/**
 * `avgPoolGradTiles`: AvgPool's gradient where the windows tile the input without overlap or
 * padding (LeNet's 2×2, stride 2), for images b0 … b0+count−1: each window's dy/(FH·FW) is written
 * to its first input row's FW pixels, and that row is then copied to the window's other rows.
 * Rows and columns no window covers are left as they are (the caller zeroes them). Byte pointers
 * at image 0; sizes in elements.
 */
function avgPoolGradTilesFunction() {
  return [
    '  (func (export "avgPoolGradTiles")',
    '    (param $dy i32) (param $dx i32) (param $b0 i32) (param $count i32) (param $OH i32) (param $OW i32) (param $C i32)',
    '    (param $FH i32) (param $FW i32) (param $inH i32) (param $inW i32)',
    '    (local $scale f32) (local $b i32) (local $oh i32) (local $ow i32) (local $q i32) (local $c i32) (local $r i32)',
    '    (local $g i32) (local $o i32) (local $first i32) (local $rowBytes i32) (local $covered i32)',
    '    (local.set $scale (f32.div (f32.const 1) (f32.convert_i32_u (i32.mul (local.get $FH) (local.get $FW)))))',
    '    (local.set $rowBytes (i32.shl (i32.mul (local.get $inW) (local.get $C)) (i32.const 2)))',
    '    (local.set $covered (i32.shl (i32.mul (i32.mul (local.get $OW) (local.get $FW)) (local.get $C)) (i32.const 2)))',
    '    (local.set $g (i32.add (local.get $dy) (i32.shl (i32.mul (i32.mul (i32.mul (local.get $b0) (local.get $OH)) (local.get $OW)) (local.get $C)) (i32.const 2))))',
    '    (local.set $b (local.get $b0))',
    '    (block $bDone (loop $bLoop',
    '      (br_if $bDone (i32.ge_u (local.get $b) (i32.add (local.get $b0) (local.get $count))))',
    '      (local.set $oh (i32.const 0))',
    '      (block $ohDone (loop $ohLoop',
    '        (br_if $ohDone (i32.ge_u (local.get $oh) (local.get $OH)))',
    '        (local.set $first (i32.add (local.get $dx) (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH))',
    '          (i32.mul (local.get $oh) (local.get $FH))) (local.get $rowBytes))))',
    '        (local.set $o (local.get $first))',
    '        (local.set $ow (i32.const 0))',
    '        (block $owDone (loop $owLoop',
    '          (br_if $owDone (i32.ge_u (local.get $ow) (local.get $OW)))',
    '          (local.set $q (i32.const 0))',
    '          (block $qDone (loop $qLoop',
    '            (br_if $qDone (i32.ge_u (local.get $q) (local.get $FW)))',
    '            (local.set $c (i32.const 0))',
    '            (block $cDone (loop $cLoop',
    '              (br_if $cDone (i32.ge_u (local.get $c) (local.get $C)))',
    '              (f32.store (local.get $o) (f32.mul (f32.load (i32.add (local.get $g) (i32.shl (local.get $c) (i32.const 2)))) (local.get $scale)))',
    '              (local.set $o (i32.add (local.get $o) (i32.const 4)))',
    '              (local.set $c (i32.add (local.get $c) (i32.const 1)))',
    '              (br $cLoop)))',
    '            (local.set $q (i32.add (local.get $q) (i32.const 1)))',
    '            (br $qLoop)))',
    '          (local.set $g (i32.add (local.get $g) (i32.shl (local.get $C) (i32.const 2))))',
    '          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))',
    '          (br $owLoop)))',
    '        (local.set $r (i32.const 1))',
    '        (block $rDone (loop $rLoop',
    '          (br_if $rDone (i32.ge_u (local.get $r) (local.get $FH)))',
    '          (memory.copy (i32.add (local.get $first) (i32.mul (local.get $r) (local.get $rowBytes))) (local.get $first) (local.get $covered))',
    '          (local.set $r (i32.add (local.get $r) (i32.const 1)))',
    '          (br $rLoop)))',
    '        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))',
    '        (br $ohLoop)))',
    '      (local.set $b (i32.add (local.get $b) (i32.const 1)))',
    '      (br $bLoop)))',
    '  )',
  ].join('\n');
}

/** How an element-wise body loads, computes and stores: on f32x4 vectors, or on one f32. */
const LANES_OF = {
  vector: { load: 'v128.load', store: 'v128.store', op: 'f32x4', splat: (x) => `(f32x4.splat ${x})`, type: 'v128' },
  scalar: { load: 'f32.load', store: 'f32.store', op: 'f32', splat: (x) => x, type: 'f32' },
};

/** `$name` of the local that holds a value in the vector (`…V`) or scalar (`…S`) loop. */
const laneLocal = (name, kind) => `${name}${kind === 'vector' ? 'V' : 'S'}`;

/** The declarations of `names` as the vector and the scalar loop's locals. */
function laneLocals(names) {
  return Object.entries(LANES_OF)
    .flatMap(([kind, { type }]) => names.map((n) => `(local ${laneLocal(n, kind)} ${type})`))
    .join(' ');
}

/**
 * The loops of an element-wise function over elements $i … end−1 ($i set before): the body once on
 * whole vectors, then on the tail's single floats. `body(lanes, at, local)` returns WAT lines:
 * `lanes` as in LANES_OF, `at(p)` the byte address of element $i of pointer param `p`, and
 * `local(name)` the loop's own local of that name (declared with `laneLocals`).
 */
function elementLoops(end, body) {
  const at = (p) => `(i32.add (local.get ${p}) (i32.shl (local.get $i) (i32.const 2)))`;
  return Object.entries(LANES_OF).flatMap(([kind, lanes]) => {
    const width = kind === 'vector' ? 4 : 1;
    return [
      `(block $${kind}Done (loop $${kind}Loop`,
      `  (br_if $${kind}Done (i32.gt_u (i32.add (local.get $i) (i32.const ${width})) ${end}))`,
      ...body(lanes, at, (name) => laneLocal(name, kind)).map((line) => `  ${line}`),
      `  (local.set $i (i32.add (local.get $i) (i32.const ${width})))`,
      `  (br $${kind}Loop)))`,
    ];
  });
}

/**
 * `adamStep`: one Adam update of `count` parameters, the same float32 operations in the same order
 * as tfjs's AdamOptimizer (so the same bits), in one pass instead of its 14 kernels per variable:
 *   m' = m·β₁ + g·(1−β₁)    v' = v·β₂ + g²·(1−β₂)
 *   w' = ((m'/c₁) / (√(v'/c₂) + ε))·(−lr) + w      c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ
 * Outputs are separate buffers (new tensors for tfjs). Byte pointers; the constants as float32.
 */
function adamStepFunction() {
  const update = ({ load, store, op, splat }, at, local) => {
    const c = (name) => splat(`(local.get ${name})`);
    const [m, v, g] = ['$m', '$v', '$g'].map(local);
    return [
      `(local.set ${m} (${op}.add (${op}.mul (${load} ${at('$mAt')}) ${c('$b1')})`,
      `  (${op}.mul (local.tee ${g} (${load} ${at('$gAt')})) ${c('$oneMinusB1')})))`,
      `(local.set ${v} (${op}.add (${op}.mul (${load} ${at('$vAt')}) ${c('$b2')})`,
      `  (${op}.mul (${op}.mul (local.get ${g}) (local.get ${g})) ${c('$oneMinusB2')})))`,
      `(${store} ${at('$mOut')} (local.get ${m}))`,
      `(${store} ${at('$vOut')} (local.get ${v}))`,
      `(${store} ${at('$wOut')} (${op}.add (${op}.mul (${op}.div (${op}.div (local.get ${m}) ${c('$c1')})`,
      `  (${op}.add (${op}.sqrt (${op}.div (local.get ${v}) ${c('$c2')})) ${c('$epsilon')})) ${c('$negLr')})`,
      `  (${load} ${at('$wAt')})))`,
    ];
  };
  return [
    '  (func (export "adamStep")',
    '    (param $wAt i32) (param $mAt i32) (param $vAt i32) (param $gAt i32) (param $wOut i32) (param $mOut i32)',
    '    (param $vOut i32) (param $count i32) (param $b1 f32) (param $oneMinusB1 f32) (param $b2 f32)',
    '    (param $oneMinusB2 f32) (param $c1 f32) (param $c2 f32) (param $epsilon f32) (param $negLr f32)',
    `    (local $i i32) ${laneLocals(['$m', '$v', '$g'])}`,
    ...elementLoops('(local.get $count)', update).map((l) => `    ${l}`),
    '  )',
  ].join('\n');
}

/**
 * `sigmoidGrad`: elements start … end−1 of the sigmoid's gradient from its output y and dy,
 *   dx = dy · (y · (1 − y))
 * the float32 operations of tfjs's Sigmoid gradient (its 3 element-wise kernels) in one pass;
 * threads take ranges. Byte pointers at element 0.
 */
function sigmoidGradFunction() {
  const gradient = ({ load, store, op, splat }, at, local) => [
    `(local.set ${local('$y')} (${load} ${at('$y')}))`,
    `(${store} ${at('$dx')} (${op}.mul (${load} ${at('$dy')})`,
    `  (${op}.mul (local.get ${local('$y')}) (${op}.sub ${splat('(f32.const 1)')} (local.get ${local('$y')})))))`,
  ];
  return [
    '  (func (export "sigmoidGrad") (param $y i32) (param $dy i32) (param $dx i32) (param $start i32) (param $end i32)',
    `    (local $i i32) ${laneLocals(['$y'])}`,
    '    (local.set $i (local.get $start))',
    ...elementLoops('(local.get $end)', gradient).map((l) => `    ${l}`),
    '  )',
  ].join('\n');
}

/** Input channels per `inputGrad${n}` call: one accumulator each, with the dy vector in a register. */
export const INPUT_GRAD_BLOCKS = [6, 5, 4, 3, 2, 1];

/**
 * `inputGrad${n}`: Conv2DBackpropInput of a stride-1 convolution, computed directly (no zero-padded
 * "full" convolution, which does twice the work on LeNet's C3), for n consecutive input channels
 * c0 … c0+n−1:
 *   dx[b,ih,iw,c] = Σ_{kh,kw} Σ_co dy[b, ih+top−kh, iw+left−kw, co] · W[kh,kw,c,co]
 * over the taps whose dy pixel exists (bounds computed per row and column, never tested inside).
 * Vectorised over co: dy and W both hold co contiguously (padded to whole vectors, `coVectors`),
 * so each dy vector loaded serves the n channels' accumulators, which are summed across lanes
 * once per pixel. Byte pointers; sizes in elements; dx is [B][H][W][C] (`channels` = C), and W is
 * [KH][KW][C][coVectors·4].
 */
function inputGradFunction(n) {
  const accs = Array.from({ length: n }, (_, i) => `$a${i}`);
  const lines = [
    `  (func (export "inputGrad${n}")`,
    '    (param $dy i32) (param $w i32) (param $out i32) (param $c0 i32) (param $batch i32) (param $H i32) (param $W i32)',
    '    (param $OH i32) (param $OW i32) (param $KH i32) (param $KW i32) (param $top i32) (param $left i32)',
    '    (param $coVectors i32) (param $channels i32)',
    `    ${accs.map((a) => `(local ${a} v128)`).join(' ')} (local $d v128)`,
    '    (local $b i32) (local $ih i32) (local $iw i32) (local $kh i32) (local $kw i32) (local $j i32)',
    '    (local $khLo i32) (local $khHi i32) (local $kwLo i32) (local $kwHi i32) (local $t i32)',
    '    (local $dp i32) (local $wp i32) (local $o i32) (local $pix i32) (local $cStride i32)',
    ...accs.slice(1).map((_, i) => `    (local $s${i + 1} i32)`),
    // Bytes between W[kh,kw,c,·] and W[kh,kw,c+1,·]; one dy pixel's bytes.
    '    (local.set $cStride (i32.shl (local.get $coVectors) (i32.const 4)))',
    '    (local.set $pix (local.get $cStride))',
    ...accs.slice(1).map((_, i) => `    (local.set $s${i + 1} (i32.mul (local.get $cStride) (i32.const ${i + 1})))`),
    '    (local.set $o (i32.add (local.get $out) (i32.shl (local.get $c0) (i32.const 2))))',
    '    (local.set $b (i32.const 0))',
    '    (block $bDone (loop $bLoop',
    '      (br_if $bDone (i32.ge_u (local.get $b) (local.get $batch)))',
    '      (local.set $ih (i32.const 0))',
    '      (block $ihDone (loop $ihLoop',
    '        (br_if $ihDone (i32.ge_u (local.get $ih) (local.get $H)))',
    // kh ∈ [max(0, ih+top−OH+1), min(KH−1, ih+top)]
    '        (local.set $t (i32.add (local.get $ih) (local.get $top)))',
    '        (local.set $khLo (select (i32.sub (i32.add (local.get $t) (i32.const 1)) (local.get $OH)) (i32.const 0)',
    '          (i32.gt_s (i32.sub (i32.add (local.get $t) (i32.const 1)) (local.get $OH)) (i32.const 0))))',
    '        (local.set $khHi (select (local.get $t) (i32.sub (local.get $KH) (i32.const 1))',
    '          (i32.lt_s (local.get $t) (i32.sub (local.get $KH) (i32.const 1)))))',
    '        (local.set $iw (i32.const 0))',
    '        (block $iwDone (loop $iwLoop',
    '          (br_if $iwDone (i32.ge_u (local.get $iw) (local.get $W)))',
    '          (local.set $t (i32.add (local.get $iw) (local.get $left)))',
    '          (local.set $kwLo (select (i32.sub (i32.add (local.get $t) (i32.const 1)) (local.get $OW)) (i32.const 0)',
    '            (i32.gt_s (i32.sub (i32.add (local.get $t) (i32.const 1)) (local.get $OW)) (i32.const 0))))',
    '          (local.set $kwHi (select (local.get $t) (i32.sub (local.get $KW) (i32.const 1))',
    '            (i32.lt_s (local.get $t) (i32.sub (local.get $KW) (i32.const 1)))))',
    ...accs.map((a) => `          (local.set ${a} (v128.const i32x4 0 0 0 0))`),
    '          (local.set $kh (local.get $khLo))',
    '          (block $khDone (loop $khLoop',
    '            (br_if $khDone (i32.gt_s (local.get $kh) (local.get $khHi)))',
    '            (local.set $kw (local.get $kwLo))',
    '            (block $kwDone (loop $kwLoop',
    '              (br_if $kwDone (i32.gt_s (local.get $kw) (local.get $kwHi)))',
    // dp = dy + (((b·OH + ih+top−kh)·OW + iw+left−kw)·pix
    '              (local.set $dp (i32.add (local.get $dy) (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $OH))',
    '                (i32.sub (i32.add (local.get $ih) (local.get $top)) (local.get $kh))) (local.get $OW))',
    '                (i32.sub (i32.add (local.get $iw) (local.get $left)) (local.get $kw))) (local.get $pix))))',
    // wp = w + ((kh·KW + kw)·C + c0)·cStride
    '              (local.set $wp (i32.add (local.get $w) (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $kh) (local.get $KW))',
    '                (local.get $kw)) (local.get $channels)) (local.get $c0)) (local.get $cStride))))',
    '              (local.set $j (local.get $coVectors))',
    '              (block $jDone (loop $jLoop',
    '                (br_if $jDone (i32.eqz (local.get $j)))',
    '                (local.set $d (v128.load (local.get $dp)))',
  ];
  accs.forEach((a, i) => {
    const address = i === 0 ? '(local.get $wp)' : `(i32.add (local.get $wp) (local.get $s${i}))`;
    lines.push(
      `                (local.set ${a} (f32x4.add (local.get ${a}) (f32x4.mul (local.get $d) (v128.load ${address}))))`,
    );
  });
  lines.push(
    '                (local.set $dp (i32.add (local.get $dp) (i32.const 16)))',
    '                (local.set $wp (i32.add (local.get $wp) (i32.const 16)))',
    '                (local.set $j (i32.sub (local.get $j) (i32.const 1)))',
    '                (br $jLoop)))',
    '              (local.set $kw (i32.add (local.get $kw) (i32.const 1)))',
    '              (br $kwLoop)))',
    '            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))',
    '            (br $khLoop)))',
  );
  accs.forEach((a, i) => {
    const lane = (k) => `(f32x4.extract_lane ${k} (local.get ${a}))`;
    lines.push(
      `          (f32.store offset=${4 * i} (local.get $o) (f32.add (f32.add ${lane(0)} ${lane(1)}) (f32.add ${lane(2)} ${lane(3)})))`,
    );
  });
  lines.push(
    '          (local.set $o (i32.add (local.get $o) (i32.shl (local.get $channels) (i32.const 2))))',
    '          (local.set $iw (i32.add (local.get $iw) (i32.const 1)))',
    '          (br $iwLoop)))',
    '        (local.set $ih (i32.add (local.get $ih) (i32.const 1)))',
    '        (br $ihLoop)))',
    '      (local.set $b (i32.add (local.get $b) (i32.const 1)))',
    '      (br $bLoop)))',
    '  )',
  );
  return lines.join('\n');
}

/** Output channels per `conv1ch${n}` call: one accumulator each. */
export const CONV_1CH_BLOCKS = [6, 5, 4, 3, 2, 1];

/**
 * `conv1ch${n}`: the forward stride-1 convolution of a one-channel image (a first layer on grey
 * images, which XNNPACK runs at a third of its speed on C3), plus bias and optionally ReLU, for n
 * consecutive output channels co0 … co0+n−1:
 *   y[b,oh,ow,co] = bias[co] + Σ_{kh,kw} xp[b, oh+kh, ow+kw] · W[kh,kw,co]
 * where xp is x with its zero padding (and 3 extra columns, so the last 4-pixel vector reads no
 * further). Vectorised over 4 adjacent output pixels: one unaligned x load per tap serves the n
 * channels' accumulators, with W and bias pre-splatted (`ws` [KH][KW][CO] and `bs` [CO] vectors).
 * The lanes are stored one by one into y [B][OH][OW][CO]. Byte pointers; sizes in elements.
 */
function conv1chFunction(n) {
  const accs = Array.from({ length: n }, (_, i) => `$a${i}`);
  const lines = [
    `  (func (export "conv1ch${n}")`,
    '    (param $x i32) (param $ws i32) (param $bs i32) (param $out i32) (param $co0 i32) (param $batch i32)',
    '    (param $OH i32) (param $OW i32) (param $PH i32) (param $PW i32) (param $KH i32) (param $KW i32)',
    '    (param $CO i32) (param $relu i32)',
    `    ${accs.map((a) => `(local ${a} v128)`).join(' ')} (local $v v128)`,
    '    (local $b i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32) (local $m i32)',
    '    (local $xrow i32) (local $xp i32) (local $wp i32) (local $o i32) (local $tapStride i32) (local $pixel i32)',
    '    (local.set $tapStride (i32.shl (local.get $CO) (i32.const 4)))',
    '    (local.set $pixel (i32.shl (local.get $CO) (i32.const 2)))',
    '    (local.set $b (i32.const 0))',
    '    (block $bDone (loop $bLoop',
    '      (br_if $bDone (i32.ge_u (local.get $b) (local.get $batch)))',
    '      (local.set $oh (i32.const 0))',
    '      (block $ohDone (loop $ohLoop',
    '        (br_if $ohDone (i32.ge_u (local.get $oh) (local.get $OH)))',
    '        (local.set $xrow (i32.add (local.get $x) (i32.shl (i32.mul (i32.add (i32.mul (local.get $b) (local.get $PH)) (local.get $oh)) (local.get $PW)) (i32.const 2))))',
    // o = out + (((b·OH + oh)·OW)·CO + co0)·4
    '        (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.mul (i32.add (i32.mul (local.get $b) (local.get $OH)) (local.get $oh)) (local.get $OW)) (local.get $CO)) (local.get $co0)) (i32.const 2))))',
    '        (local.set $ow (i32.const 0))',
    '        (block $owDone (loop $owLoop',
    '          (br_if $owDone (i32.ge_u (local.get $ow) (local.get $OW)))',
    ...accs.map(
      (a, i) =>
        `          (local.set ${a} (v128.load offset=${16 * i} (i32.add (local.get $bs) (i32.shl (local.get $co0) (i32.const 4)))))`,
    ),
    '          (local.set $kh (i32.const 0))',
    '          (block $khDone (loop $khLoop',
    '            (br_if $khDone (i32.ge_u (local.get $kh) (local.get $KH)))',
    '            (local.set $xp (i32.add (local.get $xrow) (i32.shl (i32.add (i32.mul (local.get $kh) (local.get $PW)) (local.get $ow)) (i32.const 2))))',
    '            (local.set $wp (i32.add (local.get $ws) (i32.shl (i32.add (i32.mul (i32.mul (local.get $kh) (local.get $KW)) (local.get $CO)) (local.get $co0)) (i32.const 4))))',
    '            (local.set $kw (local.get $KW))',
    '            (block $kwDone (loop $kwLoop',
    '              (br_if $kwDone (i32.eqz (local.get $kw)))',
    '              (local.set $v (v128.load (local.get $xp)))',
    ...accs.map(
      (a, i) =>
        `              (local.set ${a} (f32x4.add (local.get ${a}) (f32x4.mul (local.get $v) (v128.load offset=${16 * i} (local.get $wp)))))`,
    ),
    '              (local.set $xp (i32.add (local.get $xp) (i32.const 4)))',
    '              (local.set $wp (i32.add (local.get $wp) (local.get $tapStride)))',
    '              (local.set $kw (i32.sub (local.get $kw) (i32.const 1)))',
    '              (br $kwLoop)))',
    '            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))',
    '            (br $khLoop)))',
    '          (if (local.get $relu) (then',
    ...accs.map((a) => `            (local.set ${a} (f32x4.max (local.get ${a}) (v128.const i32x4 0 0 0 0)))`),
    '          ))',
    '          (local.set $m (i32.sub (local.get $OW) (local.get $ow)))',
  ];
  const storeLane = (k, indent) =>
    accs.map(
      (a, i) =>
        `${indent}(f32.store offset=${4 * i} (i32.add (local.get $o) (i32.mul (local.get $pixel) (i32.const ${k}))) (f32x4.extract_lane ${k} (local.get ${a})))`,
    );
  lines.push(...storeLane(0, '          '));
  for (let k = 1; k < 4; k++) {
    lines.push(
      `          (if (i32.gt_s (local.get $m) (i32.const ${k})) (then`,
      ...storeLane(k, '            '),
      '          ))',
    );
  }
  lines.push(
    '          (local.set $o (i32.add (local.get $o) (i32.shl (local.get $pixel) (i32.const 2))))',
    '          (local.set $ow (i32.add (local.get $ow) (i32.const 4)))',
    '          (br $owLoop)))',
    '        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))',
    '        (br $ohLoop)))',
    '      (local.set $b (i32.add (local.get $b) (i32.const 1)))',
    '      (br $bLoop)))',
    '  )',
  );
  return lines.join('\n');
}

/**
 * The WAT text of the project's kernel module: every kernel function, on the backend's memory.
 * The threaded build's memory is shared (maximum 4 GiB, as Emscripten declares it), so worker
 * threads run the same functions on other parts of one call (wasm-kernels/own-kernel-pool.ts); an
 * import must match its memory's sharing, hence a plain variant for the unthreaded build.
 */
export function ownKernelsWat({ sharedMemory }) {
  return [
    '(module',
    sharedMemory ? '  (import "env" "memory" (memory 1 65536 shared))' : '  (import "env" "memory" (memory 1))',
    ...TAP_COUNTS.map(tapsFunction),
    filterGradTasksFunction(),
    filterGradChunksFunction(),
    padImagesFunction(),
    sumRowChunksFunction(),
    avgPoolGradTilesFunction(),
    adamStepFunction(),
    sigmoidGradFunction(),
    ...INPUT_GRAD_BLOCKS.map(inputGradFunction),
    ...CONV_1CH_BLOCKS.map(conv1chFunction),
    ')',
    '',
  ].join('\n');
}

/** Compile WAT to the module's bytes (SIMD enabled). */
export async function compileWat(source) {
  const wabt = await (await import('wabt')).default();
  const parsed = wabt.parseWat('own-kernels.wat', source, { simd: true, threads: true, bulk_memory: true });
  try {
    return Buffer.from(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

/** The TypeScript module holding both variants' bytes. */
export async function moduleSource() {
  const base64 = async (sharedMemory) => (await compileWat(ownKernelsWat({ sharedMemory }))).toString('base64');
  return [
    '// Generated by scripts/wasm-kernels.mjs (WebAssembly SIMD, WAT source there): do not edit.',
    "/** On a shared memory (the threaded build's). */",
    `export const OWN_KERNELS_SHARED_WASM_BASE64 = '${await base64(true)}';`,
    "/** On a plain memory (the unthreaded build's). */",
    `export const OWN_KERNELS_PLAIN_WASM_BASE64 = '${await base64(false)}';`,
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(OWN_KERNELS_MODULE, await moduleSource());
  process.stdout.write(`wrote ${path.relative(ROOT, OWN_KERNELS_MODULE)}\n`);
}
