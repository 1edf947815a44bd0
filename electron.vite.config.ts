import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin, ResolvedConfig } from 'vite';
// @ts-expect-error: a plain .mjs build script without type declarations
import { buildProcessBundles } from './scripts/cli-bundle.mjs';

/**
 * After each main build (and rebuild under `electron-vite dev`), the trainer and inspector
 * processes beside it as CommonJS bundles (trainer.cjs, inspector.cjs: scripts/cli-bundle.mjs
 * says why), which the app forks with utilityProcess.
 */
function processBundles(): Plugin {
  let outDir = '';
  return {
    name: 'lenet5-process-bundles',
    configResolved: (config: ResolvedConfig) => void (outDir = resolve(config.root, config.build.outDir)),
    closeBundle: () => buildProcessBundles(outDir),
  };
}

/**
 * Three bundles, and main's two processes beside main (processBundles). Dependencies (tfjs,
 * better-sqlite3) stay external: native addons and tfjs's wasm files are loaded from node_modules
 * at run time, never inlined.
 */
export default defineConfig({
  main: {
    plugins: [processBundles()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only `electron`: zod (the procedure table's schemas) is
      // bundled in rather than left external.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        // A sandboxed preload must be a single CommonJS file: no ESM, no require of local chunks.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    // `@shared/…` is src/shared: the contract the renderer imports (types, schemas, constants).
    resolve: { alias: { '@shared': resolve(__dirname, 'src/shared') } },
    build: {
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
    plugins: [svelte({ configFile: resolve(__dirname, 'svelte.config.js') })],
  },
});
