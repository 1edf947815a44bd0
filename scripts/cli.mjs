/**
 * `npm run train|export|predict -- …`: the CLI from its bundle (out/cli/index.js, rebuilt first when a
 * source is newer; see cli-bundle.mjs), with the arguments as given. The bundle reads
 * process.argv.slice(2) as the source entry does.
 */
import { ensureCliBundle } from './cli-bundle.mjs';
import { pathToFileURL } from 'node:url';

await import(pathToFileURL(await ensureCliBundle()).href);
