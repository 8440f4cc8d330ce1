import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COMMANDS = path.join(ROOT, 'src/commands');
/** Where the commands are declared: the one module that imports them. */
const PROGRAM = 'src/program.ts';

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

describe('layers', () => {
  it('no command imports another command, and only the program declarations import commands', () => {
    const offending = importsUnder('src', 'ingest', 'web')
      .filter(({ imported }) => path.dirname(imported) === COMMANDS)
      .filter(({ file }) => file !== PROGRAM)
      .map(({ file, imported }) => `${file} → ${path.relative(ROOT, imported)}`);
    assert.deepEqual(offending, []);
  });

  it('finds the imports it checks (the check is not vacuous)', () => {
    const fromProgram = importsUnder('src').filter(({ file, imported }) => file === PROGRAM && path.dirname(imported) === COMMANDS);
    assert.equal(fromProgram.length, readdirSync(COMMANDS).length);
  });
});
