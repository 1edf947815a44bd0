/**
 * The parent's side of a child process (a trainer, the inspector): one handle shape whatever
 * started the process, so the supervisor and the inspector client never know which. The CLI and
 * tests use `forkChild` (child_process.fork); the app starts Electron's utilityProcess in main, the
 * one file that imports electron, and hands the child to `utilityProcessHandle`.
 */
import { fork, type Serializable } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type ExitListener = (code: number | null, signal: string | null) => void;

/** What the owner of a child process needs of it: `Out` is what it sends, `In` what it receives. */
export interface ChildHandle<Out, In> {
  postMessage(message: Out): void;
  onMessage(listener: (message: In) => void): void;
  /** Called once: exit code, or the signal that killed it. */
  onExit(listener: ExitListener): void;
  /** Force the process to end (SIGKILL or the platform's equivalent). */
  kill(): void;
  /** OS process id, when known (logs, tests). */
  readonly pid?: number;
}

/**
 * The exit, reported once to the one listener: a process that could not be spawned reports
 * `error` (as exit -1) and may report `exit` as well, and the owner must see a single end.
 */
function exitOnce(): { report: ExitListener; onExit: (listener: ExitListener) => void } {
  let listener: ExitListener | null = null;
  let reported = false;
  return {
    report: (code, signal) => {
      if (reported) return;
      reported = true;
      listener?.(code, signal);
    },
    onExit: (l) => void (listener = l),
  };
}

export interface ChildEntryOptions {
  /** `import.meta.url` of the module that forks: from source, the entry is `process.ts` beside it. */
  from: string;
  /** The bundled entry's file name, looked for beside the bundle and one folder up (`trainer.js`). */
  bundled: string;
  /** The environment variable that, when set, names the entry instead. */
  override: string;
}

/**
 * Where a child's entry is: `process.ts` beside the forking module when running from source (tsx,
 * vitest), else the bundled entry beside the bundle that module is in (the CLI's out/cli/; the app
 * forks out/main/*.cjs through utilityProcess instead). The environment override wins over both.
 */
export function childEntry({ from, bundled, override }: ChildEntryOptions): string {
  const overridden = process.env[override];
  if (overridden) return overridden;
  const here = fileURLToPath(from);
  const dir = path.dirname(here);
  if (here.endsWith('.ts')) return path.join(dir, 'process.ts');
  const candidates = [path.join(dir, bundled), path.join(dir, '..', bundled)];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

/** `--import <tsx loader>` as an absolute URL, so the child finds tsx whatever its cwd. */
function tsxExecArgv(): string[] {
  const loader = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(loader).href];
}

export interface ForkChildOptions {
  /** The child's entry file (see `childEntry`). */
  entry: string;
  /** Node flags for the child; default `--import tsx` when the entry is TypeScript. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * child_process.fork with the structured-clone ('advanced') serialization, so typed arrays in
 * messages arrive as typed arrays. Messages posted once the channel is closed are dropped: the
 * exit listener reports what happened.
 */
export function forkChild<Out, In>({ entry, execArgv, env }: ForkChildOptions): ChildHandle<Out, In> {
  const child = fork(entry, [], {
    execArgv: execArgv ?? (entry.endsWith('.ts') ? tsxExecArgv() : []),
    serialization: 'advanced',
    env: env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exit = exitOnce();
  // 'error' without 'exit' happens when the process could not be spawned at all.
  child.on('error', () => {
    if (child.exitCode === null && child.signalCode === null && child.pid === undefined) exit.report(-1, null);
  });
  child.on('exit', exit.report);
  return {
    postMessage: (message) => {
      if (child.connected) child.send(message as Serializable);
    },
    onMessage: (listener) => void child.on('message', (message) => listener(message as In)),
    onExit: exit.onExit,
    kill: () => void child.kill('SIGKILL'),
    pid: child.pid,
  };
}

/** Electron's UtilityProcess, as far as a handle needs it: core never imports electron. */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'error', listener: (type: string, location: string) => void): unknown;
  kill(): boolean;
}

export interface UtilityCrashReport {
  /** The log line's tag: `[trainer] …`. */
  tag: string;
  /** What follows the crash, for the log line: 'the run fails'. */
  consequence: string;
  /** Default: console.warn. */
  warn?: (message: string) => void;
}

/**
 * A utility process (a Node child that Electron manages: no window, killed with the app, so a
 * crash in tfjs or the wasm runtime takes down only that process) as a `ChildHandle`.
 */
export function utilityProcessHandle<Out, In>(
  child: UtilityProcessLike,
  { tag, consequence, warn = (m) => console.warn(m) }: UtilityCrashReport,
): ChildHandle<Out, In> {
  const exit = exitOnce();
  child.on('exit', (code) => exit.report(code, null));
  // A V8 fatal error (e.g. the heap exhausted) arrives as `error`, then `exit` follows (which
  // fails the run or the inspector's requests). An emitter's `error` with no listener would
  // throw in main.
  child.on('error', (type, location) => warn(`[${tag}] ${type} at ${location}: ${consequence}`));
  return {
    // Known once spawned, and no longer once exited.
    get pid() {
      return child.pid;
    },
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => void child.on('message', (message) => listener(message as In)),
    onExit: exit.onExit,
    kill: () => void child.kill(),
  };
}
