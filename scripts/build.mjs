#!/usr/bin/env node
// `npm run build` (also run by `npm ci`, through `prepare`, and by `npm test`): bundles the CLI's
// TypeScript sources into dist/cli/, a start-up cache for bin/offers.mjs. Loading the sources
// through tsx costs about 0.3 s of CPU per command (every module resolved and its transform read
// back from tsx's cache); the bundle starts in half the time. It is only a cache: bin/offers.mjs
// runs it only when it was built from exactly the sources in the checkout (bin/bundle.mjs), and
// runs the sources through tsx otherwise, so a bundle never goes stale under an edit or a checkout.
import { build } from 'esbuild';
import { copyFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_DIR, MANIFEST } from '../bin/bundle.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = fileURLToPath(BUNDLE_DIR);

// Plain-JavaScript worker threads, loaded by URL beside the module that starts them
// (`new URL('./pg-worker.mjs', import.meta.url)`): in the bundle that module is a chunk of outdir.
const WORKERS = ['src/records/pg/pg-worker.mjs', 'ingest/parse/pdf-worker.mjs'];

// The page's files are read at run time from web/, two levels above the module that names it
// (src/serve/page-assets.ts), which outdir keeps: dist/cli/ is two levels below the root too.
if (!existsSync(path.join(outdir, '..', '..', 'web', 'index.html'))) throw new Error(`${outdir} must be two levels below the directory holding web/`);

const started = Date.now();
await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  bundle: true,
  // The commands are loaded lazily (src/program.ts); splitting keeps each in its own chunk.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies stay in node_modules, resolved at run time as with tsx.
  packages: 'external',
  outdir,
  metafile: true,
  logLevel: 'warning',
});
for (const worker of WORKERS) await copyFile(path.join(root, worker), path.join(outdir, path.basename(worker)));
const inputs = [...Object.keys(result.metafile.inputs), ...WORKERS].sort();
await writeFile(path.join(outdir, MANIFEST), `${JSON.stringify({ builtAt: started, inputs }, null, 1)}\n`);
