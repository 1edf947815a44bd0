// Reports, after `npm install`, which optional downloads are missing. It never fails the install:
// on machines without a route to GitHub or Google storage those downloads are expected to fail.
import { createRequire } from 'node:module';
import { electronBinaryPath } from './electron-binary.mjs';

const require = createRequire(import.meta.url);
const warn = (msg) => console.warn(`[lenet5-studio] ${msg}`);

try {
  try {
    require.resolve('@tensorflow/tfjs-node');
    console.log('[lenet5-studio] @tensorflow/tfjs-node installed: training uses the native tensorflow backend.');
  } catch {
    warn(
      '@tensorflow/tfjs-node is not installed (its libtensorflow download failed or was skipped): training uses the WebAssembly backend.',
    );
  }
  if (!electronBinaryPath()) {
    warn(
      'the Electron runtime is not downloaded yet: `npm start` fetches it on first launch; without it use the CLI (`npm run train`).',
    );
  }
  try {
    require('better-sqlite3');
  } catch (err) {
    warn(`better-sqlite3 did not load (${err.message.split('\n')[0]}); run \`npm rebuild better-sqlite3\`.`);
  }
} catch (err) {
  warn(`postinstall check skipped: ${err.message}`);
}
