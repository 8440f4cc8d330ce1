import { writeWithModel } from '../commands/query.ts';
import { answerQuestion, type QuestionRequest } from '../query/answer-question.ts';
import type { Answer } from '../query/types.ts';
import type { WorkspaceHost } from './workspace-host.ts';

/**
 * A question answered as `offers query --format json` answers it (RefusalError when the evidence
 * is too thin). The LLM rewrite, when configured, runs after the workspace is let go: a writer
 * waiting for the data dir does not wait for the model too.
 */
export async function ask(host: WorkspaceHost, request: QuestionRequest, log: (line: string) => void): Promise<Answer> {
  const { answer, roles } = await host.use(async (workspace) => ({ answer: await answerQuestion(workspace, request), roles: workspace.roles }));
  return writeWithModel(answer, host.config, roles, log);
}
