/** Finds a Chromium for the UI tests: CHROMIUM_PATH, Debian's package, or Playwright's own. */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export function findChromium(): string | null {
  const candidates = [
    process.env['CHROMIUM_PATH'],
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    safe(() => chromium.executablePath()),
  ];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

function safe(fn: () => string): string | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/**
 * Flags for a headless Chromium on a closed network: no background connections (they would be
 * refused by the dozen), and file:// pages may load their module scripts (the built renderer).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-file-access-from-files',
];
