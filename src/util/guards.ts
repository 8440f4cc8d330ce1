/** A plain JSON object (not null, not an array): what parsed JSON from outside is checked against before reading its keys. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
