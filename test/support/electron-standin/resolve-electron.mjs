// Module-resolution hook (runs on Node's loader thread): the bare specifier `electron` resolves to
// the stand-in. Everything else resolves as usual, so a wrong path or a missing package in the
// shipped main still fails exactly as it would in Electron.
const standIn = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: standIn, format: 'module', shortCircuit: true };
  return nextResolve(specifier, context);
}
