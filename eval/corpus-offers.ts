/**
 * Reads the shared corpus the way the pipeline reads any file (parseFile, then normaliseOffer), so
 * what the eval measures is what `offers ingest` would index. Each folder's manifest.csv gives the
 * corpus's own labels (a role label from the title by regular expression, not hand-checked).
 */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { normaliseOffer } from '../ingest/normalise.ts';
import { parseCsv } from '../ingest/parse/dataset.ts';
import { parseFile } from '../ingest/parse/index.ts';
import { loadRoleCatalog, type RoleCatalog, type RoleInference } from '../src/catalog/roles.ts';
import { inferRole } from '../src/catalog/roles.ts';
import type { Offer, RawOffer } from '../src/types.ts';

export const CORPUS_FOLDERS = ['remotewlb', 'cds-snc', 'betagouv', 'dfe'] as const;

export interface CorpusOffer {
  /** Path relative to the corpus root ("remotewlb/sre/….md"): the key every label file uses. */
  path: string;
  folder: string;
  /** The manifest's columns for this file (label, title, company, same_title_company_count…). */
  manifest: Record<string, string>;
  raw: RawOffer;
  offer: Offer;
  /** The role inference with its hybrid roles, which the Offer does not keep. */
  inference: RoleInference;
}

export interface LoadCorpusOptions {
  corpus: string;
  /** Only these folders (default: every folder of CORPUS_FOLDERS that exists). */
  folders?: readonly string[];
  /** Only these corpus-relative paths (label files name a few offers; no need to parse 1,500). */
  paths?: ReadonlySet<string>;
  roles?: RoleCatalog;
}

export interface LoadCorpusResult {
  offers: CorpusOffer[];
  /** Files the manifest lists that could not be read or parsed. */
  problems: string[];
}

export async function loadCorpus(options: LoadCorpusOptions): Promise<LoadCorpusResult> {
  const roles = options.roles ?? loadRoleCatalog();
  const offers: CorpusOffer[] = [];
  const problems: string[] = [];
  for (const folder of options.folders ?? CORPUS_FOLDERS) {
    const manifestPath = path.join(options.corpus, folder, 'manifest.csv');
    const manifest = await readFile(manifestPath, 'utf8').catch(() => undefined);
    if (manifest === undefined) {
      if (options.folders) problems.push(`${manifestPath}: missing`);
      continue;
    }
    for (const row of readManifest(manifest, manifestPath)) {
      const relative = `${folder}/${row.file}`;
      if (options.paths && !options.paths.has(relative)) continue;
      const parsed = await parseFile(path.join(options.corpus, relative));
      const raw = parsed.offers[0];
      if (!raw) {
        problems.push(`${relative}: ${parsed.problems[0]?.message ?? 'no offer'}`);
        continue;
      }
      const offer = normaliseOffer(raw, { roles });
      offers.push({ path: relative, folder, manifest: row, raw, offer, inference: inferRole({ title: offer.title, text: offer.text }, roles) });
    }
  }
  return { offers, problems };
}

/** manifest.csv rows as column → value records. */
export function readManifest(text: string, source: string): Array<Record<string, string>> {
  const { rows } = parseCsv(text, source, ',');
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((row) => Object.fromEntries(header.fields.map((name, i) => [name, row.fields[i] ?? ''])));
}
