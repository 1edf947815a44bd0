/**
 * The studio's architecture, kept by `npm run lint` (dependency-cruiser) rather than by memory.
 * Each rule names a boundary of the folder tree (README: "Where things live"); a crossing fails
 * the lint with the rule's name and the two files. test/unit/architecture.test.ts shows every
 * rule failing on a deliberate violation.
 */
/** Node's built-in modules, as dependency-cruiser labels them. */
const NODE_BUILTINS = { dependencyTypes: ['core'] };

module.exports = {
  forbidden: [
    {
      name: 'core-is-electron-free',
      comment:
        'src/core is the studio the trainer, the inspector and the CLI run: it never imports Electron, ' +
        'the Electron process (src/main), the CLI, the window (renderer, preload) or the tools.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(src/(main|cli|renderer|preload)/|tools/|test/)|^node_modules/electron/' },
    },
    {
      name: 'through-front-doors',
      comment:
        'Outside a room of core (core/<room>/), only its front door core/<room>/index.ts is imported: ' +
        'the Electron process, the CLI and the tools as much as the other rooms. A module at the top ' +
        'of core (core/paths.ts, core/errors.ts, ...) is its own door.',
      severity: 'error',
      from: { path: '^(src/(main|cli)|tools)/' },
      to: { path: '^src/core/[^/]+/', pathNot: '^src/core/[^/]+/index\\.ts$' },
    },
    {
      name: 'rooms-through-front-doors',
      comment: 'A room of core reaches another room only through that room’s index.ts.',
      severity: 'error',
      from: { path: '^src/core/([^/]+)/' },
      to: { path: '^src/core/[^/]+/', pathNot: ['^src/core/$1/', '^src/core/[^/]+/index\\.ts$'] },
    },
    {
      name: 'core-top-through-front-doors',
      comment: 'A module at the top of core reaches a room only through its index.ts.',
      severity: 'error',
      from: { path: '^src/core/[^/]+\\.ts$' },
      to: { path: '^src/core/[^/]+/', pathNot: '^src/core/[^/]+/index\\.ts$' },
    },
    {
      name: 'engine-only-where-it-computes',
      comment:
        'The engine loads TensorFlow.js: only the processes that compute reach it (the trainer and ' +
        'inspector processes, which load it lazily, and the tools). Nothing main, the CLI or the rooms ' +
        'main runs import may lead to it, directly or through another module; what they need to know ' +
        'without tfjs lives outside the engine.',
      severity: 'error',
      from: { path: '^src/(main|cli)/|^src/core/(procedures|runs|store|dataset|child)/|^src/core/[^/]+\\.ts$' },
      to: { path: '^src/core/engine/', reachable: true },
    },
    {
      name: 'main-and-cli-import-core-and-shared',
      comment:
        'The Electron process and the CLI are two front ends of core: they import core’s doors and ' +
        'shared, never each other, the window or the tools.',
      severity: 'error',
      from: { path: '^src/(main|cli)/' },
      to: { path: '^(src/(renderer|preload)|tools|test)/' },
    },
    {
      name: 'main-and-cli-apart',
      severity: 'error',
      from: { path: '^src/(main|cli)/' },
      to: { path: '^src/(main|cli)/', pathNot: '^src/$1/' },
    },
    {
      name: 'shared-is-the-contract',
      comment:
        'src/shared is imported by core, main, preload and the window: it imports none of them and no ' +
        'Node built-in (the renderer runs it in a sandboxed page).',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^(src/(core|main|cli|renderer|preload)|tools|test)/' },
    },
    {
      name: 'shared-without-node',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: NODE_BUILTINS,
    },
    {
      name: 'renderer-is-untrusted',
      comment:
        'The window reaches main only through the preload bridge (invoke/subscribe): it imports ' +
        'shared and browser libraries, never Node, Electron, SQLite, TensorFlow.js or the main side.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: {
        path: '^(src/(core|main|cli|preload)|tools|test)/|^node_modules/(electron|better-sqlite3|@tensorflow)/',
      },
    },
    {
      name: 'renderer-without-node',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: NODE_BUILTINS,
    },
    {
      name: 'preload-is-the-bridge',
      comment: 'The sandboxed preload imports only electron and the shared contract.',
      severity: 'error',
      from: { path: '^src/preload/' },
      to: { path: '^(src/(core|main|cli|renderer)|tools|test)/' },
    },
    {
      name: 'no-cycles',
      comment: 'No module depends on itself through others (shared above all: it is the contract).',
      severity: 'error',
      from: { path: '^(src|tools)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist)/' },
    // Type-only imports count: a boundary crossed for a type is still crossed.
    tsPreCompilationDeps: true,
    // The web config: it has the `@shared/…` alias the renderer uses; relative imports resolve alike.
    tsConfig: { fileName: 'tsconfig.web.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.svelte.ts', '.js', '.mjs', '.svelte', '.json'] },
  },
};
