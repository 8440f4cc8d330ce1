import type { ThemeCatalog } from '../src/themes.ts';
import { tagThemes } from '../src/themes.ts';
import type { Chunk, ChunkMetadata, Offer } from '../src/types.ts';

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
  // Loaded on first use: it brings ~350 modules (@langchain/core, zod, langsmith), which a
  // re-index that finds nothing changed would otherwise load for nothing (most of its run time).
  const { RecursiveCharacterTextSplitter } = await import('@langchain/textsplitters');
  const splitter = new RecursiveCharacterTextSplitter({
    chunkSize: options.chunkSize ?? 900,
    chunkOverlap: options.chunkOverlap ?? 100,
    separators: ['\n\n', '\n', '. ', '; ', ', ', ' ', ''],
  });
  const chunks: Chunk[] = [];
  for (const [sectionIndex, section] of offer.sections.entries()) {
    const pieces = await splitter.splitText(section.text);
    for (const [chunkIndex, piece] of pieces.entries()) {
      // The splitter re-joins pieces with their separator, which reproduces the source text; a
      // piece that is not a verbatim substring would break every quote cut from it, so it is refused.
      const text = section.text.includes(piece) ? piece : undefined;
      if (!text || text.trim() === '') continue;
      const themes = tagThemes(text, options.themes);
      const metadata: ChunkMetadata = {
        offerId: offer.offerId,
        role: offer.role,
        section: section.kind,
        title: offer.title,
        company: offer.company,
        source: offer.source,
        language: offer.language,
        chunk: chunkIndex,
      };
      if (offer.seniority) metadata.seniority = offer.seniority;
      if (offer.specialisation) metadata.specialisation = offer.specialisation;
      if (section.heading) metadata.heading = section.heading;
      // Themes as boolean keys, because Chroma's `where` can filter on them (`{ t_slo: true }`).
      for (const theme of themes) metadata[`t_${theme}`] = true;
      chunks.push({ id: `${offer.offerId}:${offer.contentHash.slice(0, 10)}:${sectionIndex}:${chunkIndex}`, offerId: offer.offerId, role: offer.role, section: section.kind, text, themes, metadata });
    }
  }
  return chunks;
}

/** What is embedded: the chunk plus its offer's title and section heading, so a bare bullet keeps its context. */
export function embeddingText(chunk: Chunk): string {
  const heading = typeof chunk.metadata.heading === 'string' ? `${chunk.metadata.heading}\n` : '';
  return `${String(chunk.metadata.title)}\n${heading}${chunk.text}`;
}
