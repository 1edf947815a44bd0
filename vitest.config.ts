import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Five projects, from fastest to slowest (conformance: tfjs's own kernel tests on our wasm
 * kernels, scripts/conformance.mjs, about a minute of child processes). e2e and electron need
 * `electron-vite build` first (scripts/test.mjs does that). A sixth, `tensorflow`, exists only
 * with LENET_TEST_TENSORFLOW=1: its tests need tfjs-node (scripts/test-tfjs-node.mjs) and fail
 * without it, so `npm test` leaves them out rather than skipping them; CI runs them as a required step.
 *
 * Two workers (vitest's default on 2 cores is one, which ran all 150 files one after another):
 * unit and conformance first, two files at a time; then integration, then e2e, then the
 * real-Electron test, each one file at a time: each drives a real trainer (e2e also a real
 * browser), which takes both cores, and their waits for training are timed for that.
 */
const tensorflow = process.env['LENET_TEST_TENSORFLOW'] === '1';

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        // The renderer's modules import the shared ones by electron-vite's alias.
        resolve: { alias: { '@shared': fileURLToPath(new URL('./src/shared', import.meta.url)) } },
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 60_000, sequence: { groupOrder: 0 } },
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
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          sequence: { groupOrder: 2 },
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
    ],
  },
});
