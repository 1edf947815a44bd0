/** A child process timed whole, and each line of its output stamped with when it arrived. */
import { spawn } from 'node:child_process';

export interface TimedLine {
  text: string;
  /** Seconds since the process was started. */
  at: number;
}

export interface TimedProcess {
  seconds: number;
  stdout: string;
  lines: TimedLine[];
}

/** Run `command` to its exit; rejects (with the end of its stderr) when it exits non-zero. */
export function runTimed(command: string, args: string[]): Promise<TimedProcess> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const lines: TimedLine[] = [];
    child.stdout.on('data', (d: Buffer) => {
      const at = (performance.now() - start) / 1000;
      stdout += d.toString();
      const parts = (partial + d.toString()).split(/\r?\n|\r/);
      partial = parts.pop() ?? '';
      for (const text of parts) lines.push({ text, at });
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - start) / 1000;
      if (partial) lines.push({ text: partial, at: seconds });
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      resolve({ seconds, stdout, lines });
    });
  });
}
