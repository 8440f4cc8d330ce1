import type { SourceItem, SourceItems } from './item.ts';

/**
 * A run's items made from a list as the pipeline reads them: made up front, the items of a folder
 * of 100k files held 24 MB beyond their paths (an object and a closure each) for the whole run.
 */
export function itemsOf<T>(list: readonly T[], make: (entry: T) => SourceItem): SourceItems {
  return {
    length: list.length,
    *[Symbol.iterator]() {
      for (const entry of list) yield make(entry);
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
