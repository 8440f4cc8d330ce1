import type { SourceItem, SourceItems } from './item.ts';

/**
 * A run's `count` items, the i-th made by `make(i)` only when the pipeline reads it: made up
 * front, the items of a folder of 100k files held 24 MB beyond their paths (an object and a
 * closure each) for the whole run, and the bench's 100k generated offers about 50 MB.
 */
export function itemsOf(count: number, make: (index: number) => SourceItem): SourceItems {
  return {
    length: Math.max(0, count),
    *[Symbol.iterator]() {
      for (let i = 0; i < count; i++) yield make(i);
    },
  };
}

/** One list of sources after another, without copying either. */
export function concatItems(...parts: readonly SourceItems[]): SourceItems {
  return {
    length: parts.reduce((n, part) => n + part.length, 0),
    *[Symbol.iterator]() {
      for (const part of parts) yield* part;
    },
  };
}
