import type { ThemeCatalog } from '../src/catalog/themes.ts';
import { themeMentions } from '../src/catalog/themes.ts';
import type { Chunk, Offer } from '../src/types.ts';

export interface ChunkOptions {
  chunkSize?: number;
  chunkOverlap?: number;
  themes: ThemeCatalog;
}

/**
 * Offer → chunks that never cross a section: each section is split on its own, so a chunk has
 * exactly one section kind and retrieval can filter on it. Chunk ids are deterministic
 * (`offerId:contentHash:section:chunk`): re-ingesting the same offer upserts the same ids, and a
 * changed offer gets new ids, so its old chunks can be deleted after the new ones are written.
 *
 * Sections are short in job offers (most fit in one chunk), so the size is chosen to keep a
 * bullet list together rather than to fill an embedding window.
 */
export async function chunkOffer(offer: Offer, options: ChunkOptions): Promise<Chunk[]> {
  const splitter = await splitterFor(options.chunkSize ?? 900, options.chunkOverlap ?? 100);
  const chunks: Chunk[] = [];
  for (const [sectionIndex, section] of offer.sections.entries()) {
    const pieces = await splitter.splitText(section.text);
    for (const [chunkIndex, piece] of pieces.entries()) {
      // The splitter re-joins pieces with their separator, which reproduces the source text; a
      // piece that is not a verbatim substring would break every quote cut from it, so it is refused.
      const text = section.text.includes(piece) ? piece : undefined;
      if (!text || text.trim() === '') continue;
      chunks.push({
        id: `${offer.offerId}:${offer.contentHash.slice(0, 10)}:${sectionIndex}:${chunkIndex}`,
        offerId: offer.offerId,
        role: offer.role,
        section: section.kind,
        text,
        ...themesOf(text, options.themes),
        title: offer.title,
        ...(section.heading ? { heading: section.heading } : {}),
      });
    }
  }
  return chunks;
}

/** A chunk's themes, and how many times it mentions each (ranks its quotes: src/records/lexical-index.ts). */
function themesOf(text: string, catalog: ThemeCatalog): Pick<Chunk, 'themes' | 'mentions'> {
  const mentions = themeMentions(text, catalog);
  return { themes: [...mentions.keys()], mentions: Object.fromEntries(mentions) };
}

type Splitter = { splitText(text: string): Promise<string[]> };
const splitters = new Map<string, Promise<Splitter>>();

/**
 * One splitter per size, made once. The module is loaded on first use: it brings ~350 modules
 * (@langchain/core, zod, langsmith), which a re-index that finds nothing changed would otherwise
 * load for nothing (most of its run time). Every `import()` call goes through the module loader's
 * hooks, another thread under tsx, even when the module is cached: once per offer, that was a
 * tenth of an ingest.
 */
function splitterFor(chunkSize: number, chunkOverlap: number): Promise<Splitter> {
  const key = `${chunkSize}/${chunkOverlap}`;
  let splitter = splitters.get(key);
  if (!splitter) {
    splitter = import('@langchain/textsplitters').then(
      ({ RecursiveCharacterTextSplitter }) => new RecursiveCharacterTextSplitter({ chunkSize, chunkOverlap, separators: ['\n\n', '\n', '. ', '; ', ', ', ' ', ''] }),
    );
    splitters.set(key, splitter);
  }
  return splitter;
}
