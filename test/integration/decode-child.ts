/**
 * Decodes one image file the way the inspector does and prints what happened with the process's
 * peak memory: `{ "ok": true, ... }` or `{ "error": "...", "maxRssMb": N }`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeImage } from '../../src/core/inspector/image-convert';

const file = process.argv[2];
const report: Record<string, unknown> = {};
try {
  const image = decodeImage(basename(file), new Uint8Array(readFileSync(file)));
  Object.assign(report, { ok: true, width: image.width, height: image.height, first: image.grey[0] });
} catch (error) {
  report.error = (error as Error).message;
}
// VmHWM: this process's own peak (getrusage's maxRSS carries the parent's peak across exec).
const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
report.maxRssMb = Math.round(peakKb / 1024);
process.stdout.write(`${JSON.stringify(report)}\n`);
