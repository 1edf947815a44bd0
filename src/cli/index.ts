/**
 * The headless entry: `npm run train|sweep|bench|export|predict -- [options]`. Same engine, same database as the
 * desktop app.
 */
const [command, ...rest] = process.argv.slice(2);

async function main(): Promise<number> {
  switch (command) {
    case 'train':
      return (await import('./train')).runTrainCommand(rest);
    case 'sweep':
      return (await import('./sweep')).runSweepCommand(rest);
    case 'bench':
      return (await import('./bench/index')).runBenchCommand(rest);
    case 'export':
      return (await import('./export')).runExport(rest);
    case 'predict':
      return (await import('./predict')).runPredict(rest);
    default:
      process.stderr.write(
        `usage: lenet5-studio train|sweep|bench|export|predict [options]   (got ${command ?? 'nothing'})\n`,
      );
      return 2;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${command}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
