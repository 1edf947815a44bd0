/**
 * `npm run bench` (tools/bench/, formerly the CLI's `bench` command) exits when its command is
 * done, even after starting the threaded wasm backend in its own process, whose Emscripten workers
 * keep Node's event loop alive (`bench kernels --threads 2` printed its table and never returned).
 */
import { describe, expect, it } from 'vitest';
import { runBench } from '../support/cli';

describe('the bench process', () => {
  it('exits after an in-process command on two wasm threads, its output whole', () => {
    const r = runBench(
      ['kernels', '--batch', '8', '--steps', '1', '--warmup-steps', '1', '--threads', '2', '--no-out'],
      { timeout: 120_000 },
    );
    expect(r.error).toBeUndefined(); // ETIMEDOUT when it hangs
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wasm, \d thread\(s\), seed network/);
    expect(r.stdout).toMatch(/\(\d+ others\)/); // the table's last line
  });
});
