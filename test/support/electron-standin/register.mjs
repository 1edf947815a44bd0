// `node --import <this file> out/main/index.js`: from here on, `import ... from 'electron'` in the
// built main (and anything it loads) gets the stand-in, not the npm package (which only knows
// where the Electron binary would be).
import { register } from 'node:module';

register('./resolve-electron.mjs', import.meta.url);
