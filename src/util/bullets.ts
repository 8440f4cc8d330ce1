/**
 * Glyphs that open a list item, in offers' text, PDFs and Markdown alike: one set, so that what
 * a parser renders as an item the segmenter and the quotes also read as one.
 */
export const BULLET_GLYPHS = '-*+•▪◦‣●■□–—·∙';

/**
 * An item's marker at the start of a line: a glyph or "1." / "2)", then blanks. Blanks only, never
 * a line break: the quotes read blocks of several lines, and a marker belongs to its own line.
 */
export const LINE_BULLET = new RegExp(`^[^\\S\\r\\n]*(?:[${BULLET_GLYPHS}]|\\d{1,2}[.)])[^\\S\\r\\n]+`, 'u');
