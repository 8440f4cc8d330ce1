import { hash } from 'node:crypto';

/** Hex SHA-1. One-shot `hash` (Node ≥ 20.12), not createHash: half the cost on the short texts hashed per offer. */
export function sha1(text: string | Uint8Array): string {
  return hash('sha1', text, 'hex');
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 0x20;

/** FNV-1a, 32 bits: a fast, stable string hash for feature hashing (not for security). */
export function fnv1a(text: string): number {
  return fnv1aMore(FNV_OFFSET, text) >>> 0;
}

/**
 * fnv1a(words.slice(from, to).join(' ')), without making the string: an offer's repost signature
 * hashes every run of four of its words.
 */
export function fnv1aJoined(words: readonly string[], from: number, to: number): number {
  let hash = FNV_OFFSET;
  for (let w = from; w < Math.min(to, words.length); w++) {
    if (w > from) hash = Math.imul(hash ^ SPACE, FNV_PRIME);
    hash = fnv1aMore(hash, words[w]!);
  }
  return hash >>> 0;
}

function fnv1aMore(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}
