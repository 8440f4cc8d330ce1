/**
 * Every property test of `npm test` runs with a fixed seed: with fast-check's default (a random
 * seed per run) the suite failed at random, on a counterexample nobody could replay.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { ROOT } from '../helpers/cli.ts';

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    return entry.isDirectory() ? sourceFiles(file) : entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** `fc.assert(…)` calls whose parameters name no seed, as `file:line`. */
function unseededAsserts(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && node.expression.getText(source) === 'fc.assert') {
      const parameters = node.arguments[1]?.getText(source) ?? '';
      if (!/\bseed\b|\bseeded\(/.test(parameters)) {
        found.push(`${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('every fc.assert of the test suite has a fixed seed', () => {
  const files = sourceFiles(path.join(ROOT, 'test'));
  assert.ok(files.length > 10);
  assert.deepEqual(files.flatMap(unseededAsserts), []);
});
