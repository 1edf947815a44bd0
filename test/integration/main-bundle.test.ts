/**
 * The files Electron loads, checked as files: every script in out/main parses, and every package
 * it imports is one the app ships (a dependency, not a devDependency that a packaged app lacks).
 * `npm test` builds out/ first.
 */
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const OUT_MAIN = join(ROOT, 'out/main');

function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? scripts(join(dir, e.name)) : /\.(c|m)?js$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Static and literal dynamic imports (es-module-lexer), plus `require('x')` through a shim. */
function importedSpecifiers(code: string): string[] {
  const [imports] = parse(code);
  const found = new Set(imports.map((i) => i.n).filter((n): n is string => !!n));
  for (const m of code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]!);
  return [...found];
}

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('out/main, as Electron loads it', () => {
  const files = scripts(OUT_MAIN);
  beforeAll(() => init);

  it('has the app entry and, as CommonJS, the trainer and inspector entries it forks', () => {
    const names = files.map((f) => relative(OUT_MAIN, f));
    expect(names).toContain('index.js');
    for (const entry of ['trainer.cjs', 'inspector.cjs']) {
      expect(names).toContain(entry);
      // CommonJS loads tfjs with require(), which starts the process sooner than an ESM import.
      expect(readFileSync(join(OUT_MAIN, entry), 'utf8')).toMatch(/\brequire\("@tensorflow\/tfjs"\)/);
    }
    expect(names).not.toContain('trainer.js');
  });

  it('parses: node --check passes on every file', () => {
    const failures = files
      .map((file) => ({ file, r: spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' }) }))
      .filter(({ r }) => r.status !== 0)
      .map(({ file, r }) => `${relative(ROOT, file)}: ${r.stderr.trim().split('\n').slice(0, 5).join(' | ')}`);
    expect(failures).toEqual([]);
  });

  it('imports only Node built-ins, electron, its own chunks and the packages it ships', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    const shipped = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    const strays = files.flatMap((file) =>
      importedSpecifiers(readFileSync(file, 'utf8'))
        .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && s !== 'electron')
        .filter((s) => !builtins.has(s) && !shipped.has(packageOf(s)))
        .map((s) => `${relative(ROOT, file)} imports ${s}`),
    );
    expect(strays).toEqual([]);
  });
});

describe('out/preload, as a sandboxed renderer loads it', () => {
  it('is one CommonJS file that requires nothing but electron', () => {
    const code = readFileSync(join(ROOT, 'out/preload/index.cjs'), 'utf8');
    const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(spawnSync(process.execPath, ['--check', join(ROOT, 'out/preload/index.cjs')]).status).toBe(0);
  });
});
