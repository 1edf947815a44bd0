/**
 * The headless entry: `npm run train|sweep|export|predict|report|audit -- [options]`. Same engine, same database as the
 * desktop app. (`npm run bench` is a tool of the repository, tools/bench/, not part of the CLI.)
 */
const [command, ...rest] = process.argv.slice(2);

async function main(): Promise<number> {
  switch (command) {
    case 'train':
      return (await import('./train')).runTrainCommand(rest);
    case 'sweep':
      return (await import('./sweep')).runSweepCommand(rest);
    case 'export':
      return (await import('./export')).runExport(rest);
    case 'predict':
      return (await import('./predict')).runPredict(rest);
    case 'audit':
      return (await import('./audit')).runAudit(rest);
    case 'report':
      return (await import('./report')).runReport(rest);
    default:
      process.stderr.write(
        `usage: lenet5-studio train|sweep|export|predict|report|audit [options]   (got ${command ?? 'nothing'})\n`,
      );
      return 2;
  }
}

/**
 * Exit when the command is done rather than when the event loop empties: a child's channel or a
 * timer left behind must not keep a finished command alive. First both streams drain: on some
 * platforms pipe writes are async.
 */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main().then(exit, (err: unknown) => {
  process.stderr.write(`${command}: ${err instanceof Error ? err.message : String(err)}\n`);
  exit(1);
});
