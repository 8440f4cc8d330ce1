import { hash } from 'node:crypto';

/** Hex SHA-1. One-shot `hash` (Node ≥ 20.12), not createHash: half the cost on the short texts hashed per offer. */
export function sha1(text: string | Uint8Array): string {
  return hash('sha1', text, 'hex');
}

/** FNV-1a, 32 bits: a fast, stable string hash for feature hashing (not for security). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
