/**
 * `npm run bench [-- engine|store|ui] [flags]`: the project's speed and memory figures, measured
 * on this machine rather than asserted by timed tests. With no section, all sections run; each
 * prints a table and writes JSON under bench-results/. Exit code 1 when a target is missed.
 */
import { parseBenchArgs, runBench } from './bench';
import { runStoreBenchCli } from './bench-store';

const SECTIONS = ['engine', 'store', 'ui'] as const;
type Section = (typeof SECTIONS)[number];

export async function runBenchCommand(argv: string[]): Promise<number> {
  const chosen = SECTIONS.filter((s) => argv.includes(s));
  const flags = argv.filter((a) => !(SECTIONS as readonly string[]).includes(a));
  const sections: Section[] = chosen.length ? chosen : [...SECTIONS];
  let failed = false;
  for (const section of sections) {
    process.stdout.write(`\n== ${section} ==\n`);
    if (section === 'engine') {
      const result = await runBench(parseBenchArgs(chosen.includes('engine') ? flags : []));
      failed ||= result.pass === false;
    } else if (section === 'store') {
      failed ||= runStoreBenchCli(chosen.includes('store') ? flags : []) !== 0;
    } else {
      const { runUiBench } = await import('./bench-ui');
      failed ||= !(await runUiBench()).pass;
    }
  }
  return failed ? 1 : 0;
}
