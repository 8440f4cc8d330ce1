/**
 * Every unit test file, run in one process. They test pure logic (in-memory fakes at most) and
 * need no isolation from each other, while a process each costs about 0.65 s of CPU for the
 * runner's child and tsx's loader: on these 2-core machines the 67 files took 99 CPU-seconds as
 * processes and 56 in one, and `npm test` is CPU-bound. The integration files keep a process
 * each: they start servers, install signal handlers and race processes against each other.
 * scripts/test.mjs starts it first, with the longest integration files.
 */
import { readdirSync } from 'node:fs';

const dir = new URL('./unit/', import.meta.url);
for (const name of readdirSync(dir).filter((file) => file.endsWith('.test.ts')).sort()) await import(new URL(name, dir).href);
