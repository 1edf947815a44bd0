import { describe, expect, it } from 'vitest';
import { pathTail } from '../../src/renderer/src/lib/format';

describe('pathTail: the status bar shows a path by its last two folders', () => {
  it('keeps the last two parts of a long path after "…/"', () => {
    expect(pathTail('/tmp/lenet-studio-ui-x/home/.config/LeNet5 Studio/studio.db')).toBe('…/LeNet5 Studio/studio.db');
    expect(pathTail('/usr/share/datasets/fashion-mnist/')).toBe('…/datasets/fashion-mnist');
  });
  it('leaves a path that is already short whole', () => {
    expect(pathTail('/data/studio.db')).toBe('/data/studio.db');
    expect(pathTail('studio.db')).toBe('studio.db');
  });
  it('keeps a Windows path its own separator', () => {
    expect(pathTail('C:\\Users\\ana\\AppData\\Roaming\\LeNet5 Studio\\studio.db')).toBe('…\\LeNet5 Studio\\studio.db');
  });
});
