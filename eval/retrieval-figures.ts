import type { Section, SectionKind } from '../src/types.ts';
import { share } from './measure.ts';
import { foldedWords, lineWords } from './text-lines.ts';

/**
 * Retrieval figures of one question's evidence, the same for our answers and for the naive
 * pipeline's top-k (pure): role purity, section precision and the share of distinct offers.
 */

/** One piece of evidence, judged. */
export interface JudgedEvidence {
  /** The offer it comes from (corpus path, or offer id): distinct offers are counted on it. */
  offer: string;
  /** Whether the offer's labelled role is the role the evidence is used for; null when unlabelled. */
  roleOk: boolean | null;
  /** Share (0–1) of its located text that lies in the sections the question asks about; null when none could be located. */
  inSections: number | null;
}

export interface RetrievalFigures {
  evidence: number;
  /** Labelled evidence whose offer has the right role, over labelled evidence. */
  rolePurity: number | null;
  /** Mean share of evidence text in the asked sections, over located evidence. */
  sectionPrecision: number | null;
  /** Distinct offers over pieces of evidence: 1 means no offer is quoted twice. */
  distinctOfferShare: number | null;
}

export function retrievalFigures(evidence: readonly JudgedEvidence[]): RetrievalFigures {
  const labelled = evidence.filter((e) => e.roleOk !== null);
  const located = evidence.map((e) => e.inSections).filter((x): x is number => x !== null);
  return {
    evidence: evidence.length,
    rolePurity: share(labelled.filter((e) => e.roleOk).length, labelled.length),
    sectionPrecision: share(located.reduce((a, b) => a + b, 0), located.length),
    distinctOfferShare: share(new Set(evidence.map((e) => e.offer)).size, evidence.length),
  };
}

/** The mean of figures over questions, each question weighing the same. */
export function meanFigures(all: readonly RetrievalFigures[]): RetrievalFigures {
  const mean = (key: 'rolePurity' | 'sectionPrecision' | 'distinctOfferShare') => {
    const values = all.map((f) => f[key]).filter((x): x is number => x !== null);
    return share(values.reduce((a, b) => a + b, 0), values.length);
  };
  return {
    evidence: all.reduce((sum, f) => sum + f.evidence, 0),
    rolePurity: mean('rolePurity'),
    sectionPrecision: mean('sectionPrecision'),
    distinctOfferShare: mean('distinctOfferShare'),
  };
}

/**
 * Where a piece of evidence lies in its offer, judged line by line against the offer's sections
 * as our segmenter cut them: the share of its characters, over the lines found in some section,
 * that are in `wanted` sections. Lines are compared as folded words, so a raw Markdown chunk (the
 * naive pipeline's) is located as well as one of our verbatim chunks. Null when no line is found.
 */
export function sectionShare(evidence: string, sections: readonly Pick<Section, 'kind' | 'text'>[], wanted: ReadonlySet<SectionKind>): number | null {
  const keys = sections.map((s) => ({ kind: s.kind, key: ` ${foldedWords(s.text)} ` }));
  let found = 0;
  let inWanted = 0;
  for (const line of evidence.split('\n')) {
    const words = lineWords(line);
    if (words.length < 3) continue;
    const section = keys.find((s) => s.key.includes(` ${words} `));
    if (!section) continue;
    found += words.length;
    if (wanted.has(section.kind)) inWanted += words.length;
  }
  return found > 0 ? inWanted / found : null;
}
