/**
 * Threads for tfjs-backend-wasm in Node, in one place.
 *
 * The backend ships a threaded SIMD build (tfjs-backend-wasm-threaded-simd.wasm), but 4.22 never
 * starts it in Node: its `WASM_HAS_MULTITHREAD_SUPPORT` flag answers false there
 * (tensorflow/tfjs#3830; the PR that would fix it, #8059, was closed unmerged), and forcing the
 * flag fails because Emscripten's pthread worker and main script are handed over as `blob:` URLs,
 * which Node's `Worker` and the worker's `importScripts` (a file read) refuse. So, while the
 * backend initialises, `Blob`/`URL.createObjectURL` are wrapped: the two scripts the backend
 * builds are written to files instead (content-addressed under the OS temp folder, so processes
 * share them and never see a half-written one) and their paths are returned. The worker script is
 * pointed at the main-script file, and the main script gets the bundle-level variables
 * (`require$$N`, `commonjsGlobal`, `_scriptDir`) its function text refers to.
 *
 * Any surprise (a tfjs upgrade changing that text) is an error before the backend starts; the
 * caller then falls back to one thread. test/unit/wasm-threads.test.ts checks that N threads
 * really start and compute what `cpu` computes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const requireFromHere = createRequire(import.meta.url);

/** What the worker script does with the main script it is sent; replaced by a file read. */
const WORKER_LOAD = /if\(typeof e\.data\.urlOrBlob=="string"\)\{importScripts\(e\.data\.urlOrBlob\)\}else\{[^}]*\}/;
const MAIN_SCRIPT_START = 'var WasmBackendModuleThreadedSimd = ';

/** `var require$$0 = require('fs');` … as the backend's Node bundle declares them. */
function bundleRequires(): string[] {
  const bundle = readFileSync(requireFromHere.resolve('@tensorflow/tfjs-backend-wasm'), 'utf8');
  return [...bundle.matchAll(/^var (require\$\$\d+) = require\('([^']+)'\);$/gm)].map(
    ([, name, module]) => `var ${name} = require(${JSON.stringify(module)});`,
  );
}

/** Write `text` once under a name derived from its content; the path. */
function contentFile(dir: string, suffix: string, text: string): string {
  const file = path.join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}${suffix}`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  }
  return file;
}

function scriptFolder(): string {
  const dir = path.join(os.tmpdir(), 'lenet5-studio-wasm-threads');
  mkdirSync(dir, { recursive: true });
  // No package.json above it declares "type": "module": the scripts run as CommonJS.
  return dir;
}

export function mainScriptFile(dir: string, blobText: string): string {
  const free = [...bundleRequires(), 'var commonjsGlobal = globalThis;'];
  for (const name of new Set(blobText.match(/require\$\$\d+/g) ?? [])) {
    if (!free.some((line) => line.startsWith(`var ${name} `))) {
      throw new Error(`the threaded wasm script needs ${name}, which the bundle does not declare`);
    }
  }
  // _scriptDir: the factory's closure variable; the worker script set `self.location` to its own file.
  const prelude = `${free.join('\n')}\nvar _scriptDir = self.location.href;\n`;
  return contentFile(dir, '.main.cjs', prelude + blobText);
}

export function workerScriptFile(dir: string, blobText: string, mainScript: string): string {
  if (!WORKER_LOAD.test(blobText)) throw new Error('the wasm pthread worker script is not the one expected');
  // eval'd main script: `__filename` inside it must be its own path.
  const load = `importScripts(${JSON.stringify(mainScript)});`;
  return contentFile(dir, '.worker.cjs', blobText.replace(WORKER_LOAD, load));
}

type BlobParts = ConstructorParameters<typeof Blob>[0];
type BlobOptions = ConstructorParameters<typeof Blob>[1];

/**
 * Run `initialise` (the backend's first `tf.setBackend('wasm')`) with the threaded build
 * enabled and XNNPACK allowed `threads` threads: the two scripts it builds as Blobs become files, the rest of Blob/URL is untouched,
 * and the globals are restored before this resolves.
 */
export async function withNodeWasmThreads<T>(threads: number, initialise: () => Promise<T>): Promise<T> {
  const dir = scriptFolder();
  // XNNPACK's pool is capped at half the logical cores Emscripten reports (os.cpus() in Node,
  // read while the backend initialises): report twice the threads wanted so the cap is `threads`.
  const originalCpus = os.cpus;
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => originalCpus()[i % originalCpus().length]);
  const OriginalBlob = globalThis.Blob;
  const originalCreate = URL.createObjectURL;
  const texts = new WeakMap<Blob, string>();
  let mainScript: string | null = null;
  let failure: Error | null = null;

  class TextBlob extends OriginalBlob {
    constructor(parts?: BlobParts, options?: BlobOptions) {
      super(parts ?? [], options);
      if (parts?.every((p) => typeof p === 'string')) texts.set(this, (parts as string[]).join(''));
    }
  }
  const fail = (err: unknown): never => {
    failure ??= err instanceof Error ? err : new Error(String(err));
    throw failure;
  };
  // The worker script: turned into a URL for `new Worker(url)`; a file path works in Node.
  const createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob);
    if (text === undefined) return originalCreate(blob);
    try {
      if (mainScript === null) throw new Error('the pthread worker was created before the main script');
      return workerScriptFile(dir, text, mainScript);
    } catch (err) {
      return fail(err);
    }
  };
  // The main script: handed to each worker as it is, which imports it; written to a file, and its
  // path (a clonable String) sent instead. The worker script reads that file whatever it is sent.
  globalThis.Blob = new Proxy(TextBlob, {
    construct(target, args: [BlobParts?, BlobOptions?]) {
      const blob = new target(...args);
      const text = texts.get(blob);
      if (!text?.startsWith(MAIN_SCRIPT_START)) return blob;
      try {
        mainScript = mainScriptFile(dir, text);
      } catch (err) {
        return fail(err);
      }
      return new String(mainScript) as unknown as Blob;
    },
  }) as typeof Blob;
  URL.createObjectURL = createObjectURL;
  try {
    const result = await initialise();
    if (failure) throw failure;
    return result;
  } finally {
    globalThis.Blob = OriginalBlob;
    URL.createObjectURL = originalCreate;
    os.cpus = originalCpus;
  }
}
