import { z } from 'zod';
import type { Claim } from '../query/types.ts';

/**
 * The model's reply, parsed with one schema (STYLE 13). A reply is a list of summary sentences
 * and a list of claims, every one a {text, roles, citations} object: a sentence that cites
 * nothing cannot be verified, so a summary given as a bare string is read as one uncited
 * sentence (and dropped by verification). An entry that is not shaped like a claim is kept as
 * `undefined` at its index, so the warning can say which one was dropped without failing the
 * rest of the reply.
 */

/** "SRE" and ["SRE"] alike, trimmed. */
const names = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (typeof value === 'string' ? [value] : value).map((s) => s.trim()));

const claimSchema = z.object({
  text: z.string(),
  roles: names,
  // Models often write the marker form ("[c1]") where the id is asked for.
  citations: names.transform((ids) => ids.map((id) => id.replace(/^\[|\]$/g, ''))),
});

const replySchema = z.object({
  summary: z.union([z.string(), z.array(z.unknown())]).optional(),
  claims: z.array(z.unknown()),
});

export interface ModelReply {
  summary: Array<Claim | undefined>;
  claims: Array<Claim | undefined>;
}

function asClaim(entry: unknown): Claim | undefined {
  const parsed = claimSchema.safeParse(entry);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The JSON object of a reply, tolerant of ```json fences and of prose around it. Throws when
 * there is no usable object; the message never quotes the reply (it is unverified text).
 */
export function parseReply(text: string): ModelReply {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1];
  const body = fenced ?? text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // Not JSON.parse's own message, nor as a cause: it quotes the text around the error.
    throw new Error("the model's reply is not JSON");
  }
  const reply = replySchema.safeParse(json);
  if (!reply.success) throw new Error('the model\'s reply has no "claims" list');
  const { summary = [], claims } = reply.data;
  return {
    summary: typeof summary !== 'string' ? summary.map(asClaim) : summary.trim() ? [{ text: summary, roles: [], citations: [] }] : [],
    claims: claims.map(asClaim),
  };
}
