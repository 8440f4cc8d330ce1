import { writeWithModel } from '../llm/write-with-model.ts';
import { answerQuestion, type QuestionRequest } from '../query/answer-question.ts';
import { isRefusal, type Refusal } from '../query/refusal.ts';
import type { Answer } from '../query/types.ts';
import type { WorkspaceHost } from './workspace-host.ts';

/**
 * A question answered as `offers query --format json` answers it (a Refusal when the evidence
 * is too thin). The LLM rewrite, when configured, runs after the workspace is let go: a writer
 * waiting for the data dir does not wait for the model too.
 */
export async function ask(host: WorkspaceHost, request: QuestionRequest, log: (line: string) => void): Promise<Answer | Refusal> {
  const { result, roles } = await host.use(async (workspace) => ({ result: await answerQuestion(workspace, request), roles: workspace.roles }));
  return isRefusal(result) ? result : writeWithModel(result, host.config, roles, log);
}
