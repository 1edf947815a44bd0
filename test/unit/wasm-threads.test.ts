/**
 * Threads for the wasm backend in Node (src/core/engine/backend/wasm-threads.ts): a trainer
 * asking for 2 threads really gets XNNPACK's pool of 2, and the kernels it parallelises compute
 * what `cpu` computes (tolerance 1e-4 relative to the largest magnitude: float32 sums in a
 * different order). Each case runs in a fresh process because the backend initialises once per
 * process.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerScriptFile } from '../../src/core/engine/backend/wasm-threads';
import { resolveThreadCount } from '../../src/core/trainer';
import { kernelOutputs, ownKernelOutputs } from '../support/wasm-threads-inputs';

const CHILD = fileURLToPath(new URL('../support/wasm-threads-child.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface ChildOutput {
  selected: { name: string; threads: number };
  wasmThreads: number;
  values: Record<string, number[]>;
  ownThreads: number;
  ownOneThread: Record<string, number[]>;
  own: Record<string, number[]>;
  trap: { error: string; afterwards: string };
}

function runChild(threads: number): ChildOutput {
  const stdout = execFileSync(process.execPath, ['--import', TSX, CHILD, String(threads)], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildOutput;
}

/** The 2-thread child, run once for the tests that read it. */
let twoThreads: ChildOutput | undefined;
const runTwoThreads = (): ChildOutput => (twoThreads ??= runChild(2));

async function cpuReference(): Promise<Record<string, number[]>> {
  await tf.setBackend('cpu');
  return kernelOutputs();
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  const worst = Math.max(...actual.map((v, i) => Math.abs(v - expected[i])));
  expect(worst / scale).toBeLessThan(1e-4);
}

describe('wasm threads in Node', () => {
  it('starts XNNPACK with 2 threads when asked, and computes what cpu computes', async () => {
    const threaded = runTwoThreads();
    expect(threaded.selected).toMatchObject({ name: 'wasm', threads: 2 });
    expect(threaded.wasmThreads).toBe(2);
    const reference = await cpuReference();
    for (const [kernel, values] of Object.entries(reference)) expectClose(threaded.values[kernel], values);
  });

  it('stays on one thread (the unthreaded build) by default; our kernels there match cpu too', async () => {
    const single = runChild(1);
    expect(single.wasmThreads).toBe(1);
    expect(single.selected.threads).toBe(1);
    expect(single.ownThreads).toBe(1);
    await tf.setBackend('cpu');
    const reference = ownKernelOutputs();
    for (const [kernel, values] of Object.entries(reference)) expectClose(single.own[kernel], values);
  });

  it('runs our own kernels on the same threads: the bits one thread gives, cpu within tolerance', async () => {
    const threaded = runTwoThreads();
    expect(threaded.ownThreads).toBe(2);
    await tf.setBackend('cpu');
    const reference = ownKernelOutputs();
    for (const [kernel, values] of Object.entries(reference)) {
      expect(values.some((v) => v !== 0)).toBe(true);
      expect(threaded.own[kernel]).toEqual(threaded.ownOneThread[kernel]);
      expectClose(threaded.own[kernel], values);
    }
    // A trap on a worker reaches the caller, naming the kernel, and the pool still works after it.
    expect(threaded.trap.error).toMatch(/filterGradTasks failed on a worker thread/);
    expect(threaded.trap.afterwards).toBe('no error');
  });

  it('refuses a pthread worker script it does not recognise instead of patching blindly', () => {
    expect(() => workerScriptFile(os.tmpdir(), 'self.onmessage=()=>{}', '/x.cjs')).toThrow(/not the one expected/);
  });
});

describe('thread count', () => {
  const cores = os.availableParallelism();

  it('caps a request at the cores, at least 1; no request means all cores', () => {
    expect(resolveThreadCount(1)).toBe(1);
    expect(resolveThreadCount(10_000)).toBe(cores);
    expect(resolveThreadCount(0)).toBe(1);
    expect(resolveThreadCount(undefined)).toBe(cores);
  });
});
