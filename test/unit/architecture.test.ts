/**
 * The architecture rules of `npm run lint` (.dependency-cruiser.cjs) fail where they should: a
 * scratch tree laid out like the studio's, with one deliberate crossing per rule, is cruised with
 * the project's own rules, and every rule must name its crossing, while imports the rules allow
 * (a front door, shared, a room's own modules) pass. The real tree is checked by the lint itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as {
  forbidden: IForbiddenRuleType[];
  options: Record<string, unknown>;
};

/** Deliberate crossings: the rule, the scratch file that crosses it, and that file's imports. */
const CROSSINGS: [rule: string, file: string, imports: string[]][] = [
  ['core-is-electron-free', 'src/core/runs/to-main.ts', ['../../main/index']],
  ['core-is-electron-free', 'src/core/dataset/to-electron.ts', ['electron']],
  ['through-front-doors', 'src/cli/to-store-inside.ts', ['../core/store/db']],
  ['rooms-through-front-doors', 'src/core/runs/to-store-inside.ts', ['../store/db']],
  ['core-top-through-front-doors', 'src/core/top.ts', ['./store/db']],
  ['engine-only-where-it-computes', 'src/core/procedures/to-engine.ts', ['../engine']],
  // Through a door that leads there: src/core/trainer/index.ts imports ./ok.ts, which imports the engine.
  ['engine-only-where-it-computes', 'src/main/to-trainer.ts', ['../core/trainer']],
  ['main-and-cli-import-core-and-shared', 'src/main/to-renderer.ts', ['../renderer/src/view']],
  ['main-and-cli-apart', 'src/cli/to-main.ts', ['../main/index']],
  ['shared-is-the-contract', 'src/shared/to-core.ts', ['../core/paths']],
  ['shared-without-node', 'src/shared/to-node.ts', ['node:fs']],
  ['renderer-is-untrusted', 'src/renderer/src/to-core.ts', ['../../core/paths']],
  ['renderer-is-untrusted', 'src/renderer/src/to-sqlite.ts', ['better-sqlite3']],
  ['renderer-without-node', 'src/renderer/src/to-node.ts', ['node:path']],
  ['preload-is-the-bridge', 'src/preload/to-main.ts', ['../main/index']],
  ['no-cycles', 'src/shared/cycle-a.ts', ['./cycle-b']],
];

/** Packages the scratch tree's imports resolve to, as in the real node_modules. */
const PACKAGES = ['electron', 'better-sqlite3'];

/** What the rules allow: front doors, shared, a room's own modules, a room's door from another. */
const ALLOWED: Record<string, string[]> = {
  'src/main/index.ts': ['../core/procedures', '../core/paths', '../shared/contract'],
  'src/cli/ok.ts': ['../core/store', '../core/store/index', '../shared/contract'],
  'src/core/runs/ok.ts': ['../store', './to-main-free', '../paths', '../../shared/contract'],
  'src/core/trainer/ok.ts': ['../engine', '../dataset'],
  'src/core/trainer/index.ts': ['./ok'],
  'src/renderer/src/view.ts': ['../../shared/contract'],
  'src/preload/index.ts': ['../shared/contract'],
};

const PLAIN_FILES = [
  'src/core/store/index.ts',
  'src/core/store/db.ts',
  'src/core/engine/index.ts',
  'src/core/dataset/index.ts',
  'src/core/procedures/index.ts',
  'src/core/paths.ts',
  'src/core/runs/to-main-free.ts',
  'src/shared/contract.ts',
  'src/shared/cycle-b.ts',
];

const scratch = mkdtempSync(join(tmpdir(), 'lenet5-architecture-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(file: string, imports: string[]): void {
  const path = join(scratch, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${imports.map((spec) => `import '${spec}';`).join('\n')}\nexport {};\n`);
}

async function cruiseScratch(): Promise<ICruiseResult> {
  for (const file of PLAIN_FILES) write(file, []);
  for (const name of PACKAGES) {
    write(`node_modules/${name}/index.js`, []);
    writeFileSync(join(scratch, `node_modules/${name}/package.json`), JSON.stringify({ name, main: 'index.js' }));
  }
  write('src/shared/cycle-b.ts', ['./cycle-a']);
  for (const [, file, imports] of CROSSINGS) write(file, imports);
  for (const [file, imports] of Object.entries(ALLOWED)) write(file, imports);
  const { tsConfig: _tsConfig, ...options } = config.options;
  const result = await cruise(['src'], {
    ...options,
    baseDir: scratch,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  });
  return result.output as ICruiseResult;
}

describe('the architecture rules (.dependency-cruiser.cjs)', () => {
  it('each rule fails on its deliberate crossing, and the allowed imports pass', async () => {
    const { summary } = await cruiseScratch();
    const byRule = new Map<string, string[]>();
    for (const v of summary.violations) byRule.set(v.rule.name, [...(byRule.get(v.rule.name) ?? []), v.from]);
    // Every rule of the config is exercised here: a new rule needs its crossing above.
    expect([...new Set(CROSSINGS.map(([rule]) => rule))].sort()).toEqual(config.forbidden.map((r) => r.name).sort());
    for (const [rule, file] of CROSSINGS) expect(byRule.get(rule), `${rule}: ${file}`).toContain(file);
    const flaggedAllowed = summary.violations.filter((v) => v.from in ALLOWED);
    expect(flaggedAllowed).toEqual([]);
  });
});
