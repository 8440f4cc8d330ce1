import { writeFile } from 'node:fs/promises';
import { synthesizeAnswer } from '../llm/synthesize.ts';
import { resolveConfig, type ConfigFlags } from '../config.ts';
import { processOutput, type Output } from '../output.ts';
import { answerQuestion, type QuestionRequest } from '../query/answer-question.ts';
import type { Answer } from '../query/types.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { openWorkspace } from '../workspace.ts';

export interface QueryCommandOptions extends ConfigFlags, QuestionRequest {
  format?: 'md' | 'json';
  out?: string;
  output?: Output;
}

/** `offers query`: the offline answer, rewritten by the LLM when OFFERS_LLM_MODEL is set. */
export async function query(options: QueryCommandOptions): Promise<number> {
  const output = options.output ?? processOutput;
  const config = resolveConfig(options);
  const workspace = await openWorkspace(config, { log: output.info });
  let answer: Answer;
  try {
    answer = await answerQuestion(workspace, options);
  } finally {
    await workspace.close();
  }
  if (config.llmModel) {
    output.info(`writing the answer with ${config.llmModel}; every claim is checked against its quotes before it is shown`);
    answer = await synthesizeAnswer(answer, {
      model: config.llmModel,
      ...(config.openaiApiKey ? { apiKey: config.openaiApiKey } : {}),
      ...(config.openaiBaseUrl ? { baseUrl: config.openaiBaseUrl } : {}),
    });
  }
  const rendered = options.format === 'json' ? `${JSON.stringify(answer, null, 2)}\n` : renderMarkdown(answer);
  if (options.out) {
    await writeFile(options.out, rendered);
    output.info(`answer written to ${options.out}`);
  } else {
    output.result(rendered);
  }
  return 0;
}
