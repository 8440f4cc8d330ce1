import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { MEMO_LANGUAGES } from '../query/messages.ts';

/**
 * The one schema of a question asked over HTTP (POST /api/query) or MCP (the compare tool), and
 * of the other inputs they take (STYLE 13: parse, don't validate). Limits keep one request from
 * asking for unbounded work; everything else is answerQuestion's to judge, with the CLI's words.
 */

/** The fields both take: what `offers query` takes as flags. */
export const questionFields = {
  question: z.string().trim().min(1, 'must not be empty').max(2000).describe('the comparative question, in English or French, e.g. "What is the difference between SRE and DevOps engineer positions?"'),
  groups: z
    .array(z.string().trim().min(1).max(500))
    .max(8)
    .optional()
    .describe('groups to compare (overrides the question): role words then filters, e.g. ["SRE seniority:junior", "SRE seniority:senior"]; keys seniority, posted, workplace, company, lang, source'),
  aspects: z.array(z.string().max(40)).min(1).max(8).optional().describe('missions, requirements, nice_to_have, benefits, tools, experience, soft_skills, remote'),
  offers: z.number().int().min(1).max(100_000).optional().describe('compare a seeded sample of at most this many offers per group'),
  seed: z.union([z.string().max(100), z.number()]).transform(String).optional().describe('seed of the sample drawn by offers'),
  lang: z.enum(MEMO_LANGUAGES).optional().describe("the answer's language (default: the question's)"),
};

/** POST /api/query: the same, plus `roles` (`--roles`). Unknown fields are refused, not ignored. */
export const queryBody = z
  .object({
    ...questionFields,
    roles: z.array(z.string().trim().min(1).max(200)).max(8).optional(),
  })
  .strict();

export type QueryBody = z.infer<typeof queryBody>;

/** GET /api/offers. */
export const browseQuery = z
  .object({
    group: z.string().max(500).optional(),
    q: z.string().max(500).optional(),
    cursor: z.string().max(300).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();

/** A zod failure as one line naming each field and what is wrong with it. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.join('.');
      const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : issue.message;
      return where ? `${where}: ${message}` : message;
    })
    .join('; ');
}

/** Parses with a schema; a failure is a UsageError naming the input, the fields and what is wrong. */
export function parseInput<T extends z.ZodTypeAny>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
