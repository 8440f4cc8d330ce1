import { resolveConfig, type ConfigFlags } from '../config.ts';
import { writeWithModel } from '../llm/write-with-model.ts';
import { checkOutputFile, processOutput, writeOutputFile, type Output } from '../output.ts';
import { answerQuestion, type QuestionRequest } from '../query/answer-question.ts';
import { ExitCode } from '../errors.ts';
import { isRefusal } from '../query/refusal.ts';
import type { Answer } from '../query/types.ts';
import { renderHtml } from '../report/html.ts';
import { renderJson } from '../report/json.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { renderCsv } from '../report/csv.ts';
import { describeDrift, inspectStore } from '../store/consistency.ts';
import { injected, openWorkspace, type WorkspaceInjection } from '../workspace.ts';

export type QueryFormat = 'md' | 'json' | 'html' | 'csv';

export interface QueryCommandOptions extends ConfigFlags, QuestionRequest, WorkspaceInjection {
  format?: QueryFormat;
  out?: string;
  output?: Output;
}

/**
 * `offers query`: the offline answer, rewritten by the LLM when OFFERS_LLM_MODEL is set.
 * Returns ExitCode.ok, or ExitCode.refused when the evidence is too thin to answer: the refusal
 * goes to stderr, and with --format json also to stdout as `{ refused: true, … }`.
 */
export async function query(options: QueryCommandOptions): Promise<ExitCode> {
  const output = options.output ?? processOutput;
  // Before the work, which may be long: a path that can't be written is a usage error now.
  if (options.out) checkOutputFile(options.out);
  const config = resolveConfig(options);
  const workspace = await openWorkspace(config, { log: output.info, access: { mode: 'read', command: 'query' }, ...injected(options) });
  let answer: Answer;
  try {
    // The store first: unreachable, it is named (exit 1) before the record's counts could refuse
    // the question for want of offers; drifted from the record, every answer says so.
    const store = await inspectStore(workspace.store, workspace.records);
    const result = await answerQuestion(workspace, options);
    if (isRefusal(result)) {
      output.info(`offers: ${result.reason}\n  fix: ${result.hint}`);
      if (options.format === 'json') await deliver(renderJson(result), options, output);
      return ExitCode.refused;
    }
    answer = store.consistent ? result : { ...result, warnings: [...result.warnings, describeDrift(store, workspace.storeUrl)] };
  } finally {
    await workspace.close();
  }
  answer = await writeWithModel(answer, config, workspace.roles, output.info);
  await deliver(render(answer, options.format ?? 'md'), options, output);
  return ExitCode.ok;
}

function render(answer: Answer, format: QueryFormat): string {
  if (format === 'json') return renderJson(answer);
  if (format === 'html') return renderHtml(answer);
  if (format === 'csv') return renderCsv(answer);
  return renderMarkdown(answer, process.stdout.isTTY ? { width: process.stdout.columns } : {});
}

async function deliver(text: string, options: Pick<QueryCommandOptions, 'out'>, output: Output): Promise<void> {
  if (options.out) {
    await writeOutputFile(options.out, text);
    output.info(`answer written to ${options.out}`);
  } else {
    output.result(text);
  }
}
