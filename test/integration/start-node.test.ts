/**
 * Which Node versions `npm start` accepts. electron/install.js does `require('@electron/get')`,
 * an ES module, so it needs require(esm) unflagged: Node 20.19+ or 22.12+ (and 23+). On Node
 * 20.20 the tooling loads and runs despite its `engines: >=22.12` (see scripts/electron-native.mjs).
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs helper shared with scripts/start.mjs
import { nodeVersionProblem } from '../../scripts/electron-native.mjs';

describe('nodeVersionProblem', () => {
  it.each(['20.19.0', '20.20.2', 'v20.19.5', '22.12.0', '22.20.0', '23.0.0', '24.11.1', '25.1.0'])(
    '%s is fine',
    (version) => {
      expect(nodeVersionProblem(version)).toBeNull();
    },
  );

  it.each(['18.20.4', '20.18.3', '20.0.0', '21.7.3', '22.0.0', '22.11.0'])('%s gets one line saying why', (version) => {
    const line: string = nodeVersionProblem(version);
    expect(line).not.toContain('\n');
    expect(line).toBe(
      `the desktop app's Electron tooling needs Node 20.19+ or 22.12+ (require of ES modules), this is Node ${version}; ` +
        'upgrade Node to run `npm start`, or train headless with `npm run train -- --preset quick`.',
    );
  });

  it('accepts the Node running these tests (it runs the tooling)', () => {
    expect(nodeVersionProblem()).toBeNull();
  });
});
