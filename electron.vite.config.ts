import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * Three bundles. Main gets two more entries, the trainer and inspector processes, so the app can fork
 * them with utilityProcess. Dependencies (tfjs, better-sqlite3) stay external: native addons and tfjs's wasm
 * files are loaded from node_modules at run time, never inlined.
 */
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          trainer: resolve(__dirname, 'src/main/trainer/process.ts'),
          inspector: resolve(__dirname, 'src/main/inspector/process.ts'),
        },
      },
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
