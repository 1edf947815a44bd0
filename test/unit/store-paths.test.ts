import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dbPathInUserData,
  defaultCheckpointRoot,
  defaultDbPath,
  defaultUserDataDir,
  resolveDbPath,
} from '../../src/core/paths';

describe('database path', () => {
  it('matches Electron userData for productName "LeNet5 Studio" on each platform', () => {
    expect(defaultDbPath({ HOME: '/home/ada' }, 'linux')).toBe('/home/ada/.config/LeNet5 Studio/studio.db');
    expect(defaultDbPath({ HOME: '/home/ada', XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe('/xdg/LeNet5 Studio/studio.db');
    expect(defaultDbPath({ HOME: '/Users/ada' }, 'darwin')).toBe(
      '/Users/ada/Library/Application Support/LeNet5 Studio/studio.db',
    );
    expect(defaultUserDataDir({ HOME: '/h', APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32')).toBe(
      join('C:\\Users\\ada\\AppData\\Roaming', 'LeNet5 Studio'),
    );
  });

  it('lets LENET_STUDIO_DB override the default, and --db override both', () => {
    expect(defaultDbPath({ HOME: '/h', LENET_STUDIO_DB: '/data/runs.db' }, 'linux')).toBe('/data/runs.db');
    expect(dbPathInUserData('/u', { LENET_STUDIO_DB: '/data/runs.db' })).toBe('/data/runs.db');
    expect(dbPathInUserData('/u', {})).toBe('/u/studio.db');
    expect(resolveDbPath(['train', '--db', '/x/a.db'], { LENET_STUDIO_DB: '/data/runs.db' })).toBe('/x/a.db');
    expect(resolveDbPath(['--db=/x/b.db'], {})).toBe('/x/b.db');
    expect(resolveDbPath([], { LENET_STUDIO_DB: '/data/runs.db' })).toBe('/data/runs.db');
  });

  it('puts checkpoints next to the database by default', () => {
    expect(defaultCheckpointRoot('/u/studio.db')).toBe('/u/checkpoints');
  });
});
