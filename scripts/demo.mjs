#!/usr/bin/env node
// `npm run demo`: ingest the offers shipped in data/offers, then ask the question the tool was
// built for. Both steps are the real CLI, so what the demo shows is what users get.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'bin', 'offers.mjs');
const question = 'Focusing on missions and requirements, what is the difference between the SRE and the DevOps engineer positions?';

function offers(...args) {
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

console.error('$ offers ingest data/offers');
offers('ingest', path.join('data', 'offers'));
console.error(`\n$ offers query "${question}"\n`);
offers('query', question, ...process.argv.slice(2));
