import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Six projects, from fastest to slowest (conformance: tfjs's own kernel tests on our wasm
 * kernels, scripts/conformance.mjs, about a minute of child processes). e2e, e2e-training and
 * electron need `electron-vite build` first (scripts/test.mjs does that). A seventh, `tensorflow`,
 * exists only with LENET_TEST_TENSORFLOW=1: its tests need tfjs-node (scripts/test-tfjs-node.mjs)
 * and fail without it, so `npm test` leaves them out rather than skipping them; CI runs them as a
 * required step. An eighth, `pytorch`, exists only with LENET5_TEST_PYTORCH set to a Python that
 * imports torch: test/pytorch holds `npm run bench -- pytorch --preset`'s PyTorch side against the
 * studio (same network, augmentation, loss) and fails without torch, which CI does not install.
 *
 * Two workers (vitest's default on 2 cores is one), in steps:
 * 1. unit and conformance, two files at a time;
 * 2. integration and the UI tests that train nothing (test/e2e/*.test.ts), two files at a time;
 * 3. the UI journeys that train (test/e2e/training/), one file at a time: their trainers take the
 *    cores and their waits are timed for that. Beside integration's CLI trainers (stop 25) or
 *    beside each other (stop 26: a stop ended `failed`, a keyboard step was lost) they failed;
 * 4. the real-Electron test.
 * Unit, integration and the UI projects run without per-file isolation: a worker imports tfjs,
 * playwright and the store once, not per file (unit: 93 s of CPU rather than 165 s; a UI file
 * ~2.6 s less), and keeps one Chromium (test/support/studio-page.ts); each UI file still opens its
 * own studio, database and folders. Checked: unit and conformance pass in shuffled file order
 * (`--no-isolate --sequence.shuffle.files`), so no file leans on another's state.
 */
const tensorflow = process.env['LENET_TEST_TENSORFLOW'] === '1';
const pytorch = Boolean(process.env['LENET5_TEST_PYTORCH']);

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        // The renderer's modules import the shared ones by electron-vite's alias.
        resolve: { alias: { '@shared': fileURLToPath(new URL('./src/shared', import.meta.url)) } },
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 60_000,
          sequence: { groupOrder: 0 },
          isolate: false,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts'],
          hookTimeout: 300_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          isolate: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/*.test.ts'],
          sequence: { groupOrder: 1 },
          isolate: false,
          // Polls wait for a page that shares the machine with another file's trainer.
          expect: { poll: { timeout: 20_000 } },
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e-training',
          include: ['test/e2e/training/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          isolate: false,
          // A page on a loaded 2-core machine may take seconds to answer; polls wait that long.
          expect: { poll: { timeout: 10_000 } },
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'electron',
          include: ['test/electron/**/*.test.ts'],
          sequence: { groupOrder: 3 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      ...(tensorflow
        ? [
            {
              test: {
                name: 'tensorflow',
                include: ['test/tensorflow/**/*.test.ts'],
                testTimeout: 300_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
      ...(pytorch ? [{ test: { name: 'pytorch', include: ['test/pytorch/**/*.test.ts'], testTimeout: 120_000 } }] : []),
    ],
  },
});
