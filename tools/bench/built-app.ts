/**
 * The built app as the UI tests run it (out/main under the Electron stand-in, the built renderer
 * and preload in Chromium: test/support/studio-page.ts), for the benches that time the window.
 * Imported by path so the tools' type project does not take in the test tree.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Store } from '../../src/core/store';

/** The slice of the UI tests' harness the benches drive. */
export interface BuiltApp {
  page: import('playwright-core').Page;
  /** A second connection to the app's database. */
  store(): Store;
  close(): Promise<void>;
}

/** Opens the built app on a fresh scratch home; needs `electron-vite build` and a Chromium. */
export async function openBuiltApp(label: string): Promise<BuiltApp> {
  const harness = pathToFileURL(resolve(import.meta.dirname, '../../test/support/studio-page.ts')).href;
  const { openStudio } = (await import(harness)) as { openStudio(o: { label?: string }): Promise<BuiltApp> };
  return openStudio({ label });
}
