import type { RoleCatalog } from '../catalog/roles.ts';
import type { OffersConfig } from '../config.ts';
import type { Answer } from '../query/types.ts';

/**
 * With OFFERS_LLM_MODEL set, the answer rewritten by the model and verified claim by claim (only
 * verified text is kept: the model's raw reply is never shown); otherwise the answer as it is.
 * Shared by `query`, `serve` and `mcp`, so that they all answer alike. The model's client is
 * loaded only when a model is set: LangChain's chat modules take ~0.35 s of CPU to load, which
 * every offline query would otherwise pay (about a third of a CLI query on the demo offers).
 */
export async function writeWithModel(answer: Answer, config: OffersConfig, roleCatalog: RoleCatalog, log: (line: string) => void): Promise<Answer> {
  if (!config.llmModel) return answer;
  log(`writing the answer with ${config.llmModel}; every claim is checked against its quotes before it is shown`);
  const { synthesizeAnswer } = await import('./synthesize.ts');
  return synthesizeAnswer(answer, {
    model: config.llmModel,
    roleCatalog,
    ...(config.openaiApiKey ? { apiKey: config.openaiApiKey } : {}),
    ...(config.openaiBaseUrl ? { baseUrl: config.openaiBaseUrl } : {}),
    ...(config.llmTimeoutSeconds !== undefined ? { deadlineMs: config.llmTimeoutSeconds * 1000 } : {}),
    ...(config.llmMaxTokens !== undefined ? { maxTokens: config.llmMaxTokens } : {}),
  });
}
