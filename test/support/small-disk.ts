/**
 * A real full disk for the fault tests: a tmpfs of a few hundred kilobytes, mounted for the test
 * and removed after. Needs root (the test machines and CI run as root); anywhere else it fails
 * saying so rather than skipping, because a full-disk test that quietly does not run proves nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  unmount(): void;
}

export function mountSmallDisk(sizeKb: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'lenet-small-disk-'));
  try {
    // mode=1777 so the unprivileged-user cases can write there too.
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=1777`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`The full-disk tests mount a ${sizeKb} KB tmpfs and need root for it: ${(error as Error).message}`);
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fill what is left of the disk at `dir` with one file, so the next write gets ENOSPC. */
export function fillDisk(dir: string): void {
  // dd stops at ENOSPC (exit 1): that is the point.
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=4k'], { stdio: 'pipe' });
  } catch {
    // Full.
  }
}
