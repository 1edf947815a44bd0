/**
 * Which process owns a running run, and whether it is still alive.
 *
 * A pid alone is not enough: after a crash the pid may be reused by an unrelated process, and the
 * run would stay "running" forever. On Linux the owner also records a start token (boot id +
 * the process's start time in clock ticks, from /proc/<pid>/stat), which a reused pid cannot
 * match. Elsewhere we fall back to "is any process with this pid alive" (process.kill(pid, 0)).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  host: string;
  /** null where the platform gives no start time for a pid. */
  token: string | null;
}

let bootId: string | null | undefined;
function linuxBootId(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

interface ProcStat {
  state: string;
  startTicks: string;
}

/** Fields of /proc/<pid>/stat after the command name, which may itself contain spaces and ')'. */
function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); starttime is field 22.
  return { state: fields[0] ?? '', startTicks: fields[19] ?? '' };
}

/** The start token of `pid`, or null where it cannot be read. */
export function processStartToken(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  const stat = readProcStat(pid);
  const boot = linuxBootId();
  return stat && boot && stat.startTicks ? `linux:${boot}:${stat.startTicks}` : null;
}

let self: ProcessIdentity | undefined;
/** This process, as recorded in the runs it owns. */
export function currentProcess(): ProcessIdentity {
  self ??= { pid: process.pid, host: hostname(), token: processStartToken(process.pid) };
  return self;
}

export type Liveness = 'alive' | 'gone' | 'unknown';

/**
 * Is the recorded owner still running? 'unknown' (another host, no pid) is treated as alive by
 * callers: marking a run interrupted that another machine is training would be worse.
 */
export function ownerLiveness(owner: { pid: number | null; host: string | null; token: string | null }): Liveness {
  const me = currentProcess();
  if (owner.pid == null || owner.pid <= 0) return 'unknown';
  if (owner.host != null && owner.host !== me.host) return 'unknown';
  if (owner.pid === me.pid)
    return owner.token == null || me.token == null || owner.token === me.token ? 'alive' : 'gone';
  if (process.platform === 'linux' && existsProcFs()) {
    const stat = readProcStat(owner.pid);
    // Z: killed but not yet reaped by its parent; X: dead. Neither will write again.
    if (!stat || stat.state === 'Z' || stat.state === 'X') return 'gone';
    if (owner.token != null) return processStartToken(owner.pid) === owner.token ? 'alive' : 'gone';
    return 'alive';
  }
  try {
    process.kill(owner.pid, 0);
    return 'alive';
  } catch (error) {
    // EPERM: the pid exists but belongs to another user; still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'alive' : 'gone';
  }
}

let procFs: boolean | undefined;
function existsProcFs(): boolean {
  procFs ??= readProcStat(process.pid) !== null;
  return procFs;
}
