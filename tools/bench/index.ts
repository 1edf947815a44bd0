/**
 * `npm run bench [-- engine|store|ui|inspector|sweep|pytorch|kernels|audit|margins|features] [flags]`: the project's speed and memory
 * figures, measured on this machine rather than asserted by timed tests. With no section, all but sweep, pytorch and
 * kernels run (asked for by name: minutes, or a diagnosis); each prints a table and writes JSON under bench-results/.
 * Exit code 1 when a target is missed.
 */
import {
  parseEngineArgs,
  parseKernelsArgs,
  parsePytorchArgs,
  parseSections,
  parseStoreArgs,
  parseUiArgs,
} from './args';
import { runBench } from './engine';
import { runStoreBench } from './store';

export async function runBenchCommand(argv: string[]): Promise<number> {
  let failed = false;
  for (const { section, flags } of parseSections(argv)) {
    process.stdout.write(`\n== ${section} ==\n`);
    if (section === 'engine') {
      failed ||= (await runBench(parseEngineArgs(flags))).pass === false;
    } else if (section === 'store') {
      failed ||= !runStoreBench(parseStoreArgs(flags)).pass;
    } else if (section === 'sweep') {
      failed ||= !(await (await import('./sweep')).runSweepBench(flags)).pass;
    } else if (section === 'inspector') {
      failed ||= !(await (await import('./inspector')).runInspectorBench(flags)).pass;
    } else if (section === 'margins') {
      failed ||= !(await (await import('./margins-cost')).runMarginsBench(flags)).pass;
    } else if (section === 'audit') {
      failed ||= !(await (await import('./audit')).runAuditBench(flags)).pass;
    } else if (section === 'features') {
      failed ||= !(await (await import('./features')).runFeaturesBench(flags)).pass;
    } else if (section === 'kernels') {
      // A diagnosis (where a training step's time goes), not a target.
      await (await import('./kernels')).runKernelsBench(parseKernelsArgs(flags));
    } else if (section === 'pytorch') {
      // A comparison, not a target: it fails only when a process fails (a missing torch is fine).
      await (await import('./pytorch')).runPytorchBench(parsePytorchArgs(flags));
    } else {
      // Loaded only when asked for: it starts main's services and a browser.
      const { runUiBench } = await import('./ui');
      failed ||= !(await runUiBench(parseUiArgs(flags))).pass;
    }
  }
  return failed ? 1 : 0;
}
