import type { z } from 'zod';

/**
 * Every issue of a field gets the field's one message: what it expects. zod's own ("Expected
 * array, received string", "Required") says what is wrong in its terms, not what to write.
 */
export const expects = (message: string) => ({ errorMap: () => ({ message }) });

/** A heading and its problems, one a line: how the configuration and the catalogues report. */
export function problemList(heading: string, problems: readonly string[]): string {
  return `${heading}:\n  - ${problems.join('\n  - ')}`;
}

/**
 * A JSON file's failed parse, one problem per issue, each led by where in the file it sits as
 * its author would write it (`roles[0].aliases`), or "the file" for the document itself.
 */
export function fileProblems(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const where = issue.path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${where ? `${where}: ` : ''}unknown key "${key}"`);
    return [`${where || 'the file'} ${issue.message}`];
  });
}
