import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COMMANDS = path.join(ROOT, 'src/commands');
/** Where the commands are declared: the one module that imports them. */
const PROGRAM = 'src/program.ts';
/**
 * The src/ modules that sit above ingest and may import it: commands run it, query reads its
 * text rules (title families, workplaces, languages) so that questions are folded as offers are,
 * report renders its results, and a re-index runs it. Everything else in src/ is a foundation
 * that ingest builds on, so an import from it into ingest/ would be a layer upside down.
 */
const ABOVE_INGEST = ['src/commands/', 'src/query/', 'src/report/', 'src/reindex-run.ts'];

/** The modules each TypeScript file under these folders imports, statically or on demand, as absolute paths. */
function importsUnder(...folders: string[]): Array<{ file: string; imported: string }> {
  return folders.flatMap((folder) =>
    readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => {
        const file = path.join(ROOT, folder, name);
        const specifiers = [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) => m[1]!);
        return specifiers.map((specifier) => ({ file: path.relative(ROOT, file), imported: path.resolve(path.dirname(file), specifier) }));
      }),
  );
}

/**
 * The first import circle among the files under `folders` (type-only imports count: a circle of
 * types still ties the modules together), as the files around it, or undefined when there is none.
 * A depth-first walk: a circle is an import of a file still on the walk's path.
 */
function firstImportCycle(...folders: string[]): string[] | undefined {
  const graph = new Map<string, string[]>();
  for (const { file, imported } of importsUnder(...folders)) {
    const edges = graph.get(file) ?? [];
    graph.set(file, edges);
    const target = path.relative(ROOT, imported);
    if (folders.some((folder) => target.startsWith(`${folder}/`))) edges.push(target);
  }
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (file: string): string[] | undefined => {
    const at = onPath.indexOf(file);
    if (at >= 0) return [...onPath.slice(at), file];
    if (done.has(file)) return undefined;
    onPath.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(file);
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('layers', () => {
  it('no command imports another command, and only the program declarations import commands', () => {
    const offending = importsUnder('src', 'ingest', 'web')
      .filter(({ imported }) => path.dirname(imported) === COMMANDS)
      .filter(({ file }) => file !== PROGRAM)
      .map(({ file, imported }) => `${file} → ${path.relative(ROOT, imported)}`);
    assert.deepEqual(offending, []);
  });

  it('there is no import circle among the src/ and ingest/ modules, type imports included', () => {
    assert.deepEqual(firstImportCycle('src', 'ingest'), undefined);
  });

  it('only the modules above ingest import from ingest/', () => {
    const offending = importsUnder('src')
      .map(({ file, imported }) => ({ file, imported: path.relative(ROOT, imported) }))
      .filter(({ imported }) => imported.startsWith('ingest/'))
      .filter(({ file }) => !ABOVE_INGEST.some((above) => file.startsWith(above)))
      .map(({ file, imported }) => `${file} → ${imported}`);
    assert.deepEqual(offending, []);
  });

  it('finds the imports it checks (the check is not vacuous)', () => {
    const fromProgram = importsUnder('src').filter(({ file, imported }) => file === PROGRAM && path.dirname(imported) === COMMANDS);
    assert.equal(fromProgram.length, readdirSync(COMMANDS).length);
  });
});
