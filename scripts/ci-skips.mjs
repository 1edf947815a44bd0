#!/usr/bin/env node
// Which tests a vitest JSON report says were skipped (or todo), and which of them an allow-list
// does not excuse. Used by .ci/run, which holds the allow-list with each entry's reason:
//
//   node scripts/ci-skips.mjs REPORT.json 'FILE|TITLE START|REASON' ...
//
// Prints every skip to stderr (allowed ones with their reason, the others as UNEXPECTED) and the
// number of unexpected skips alone on stdout, for the script to read; exits 1 when there is any
// (or when the report is missing).
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const [reportFile, ...entries] = process.argv.slice(2);
if (!reportFile || !existsSync(reportFile)) {
  console.error(`no vitest report at ${reportFile}: the skips cannot be checked`);
  console.log('1');
  process.exit(1);
}
const allowed = entries.map((e) => {
  const [file, title, reason] = e.split('|');
  if (!file || !title || !reason) throw new Error(`an allow-list entry is FILE|TITLE START|REASON, not ${e}`);
  return { file, title, reason };
});

const root = resolve('.');
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
const skipped = [];
for (const file of report.testResults ?? []) {
  const name = relative(root, file.name);
  for (const t of file.assertionResults ?? []) {
    if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo') {
      skipped.push({ file: name, title: t.title, fullName: t.fullName ?? t.title });
    }
  }
}

let unexpected = 0;
for (const s of skipped) {
  const excuse = allowed.find((a) => a.file === s.file && s.title.startsWith(a.title));
  if (excuse) console.error(`skipped (allowed: ${excuse.reason}): ${s.file} > ${s.fullName}`);
  else {
    unexpected++;
    console.error(`UNEXPECTED SKIP: ${s.file} > ${s.fullName}`);
  }
}
console.log(String(unexpected));
process.exit(unexpected > 0 ? 1 : 0);
