import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.ts';

/**
 * Configuration is resolved once, at the edge, with every problem reported together.
 * Precedence: command-line flags > environment > config file (`<data dir>/offers.config.json`) > defaults.
 */
export interface OffersConfig {
  dataDir: string;
  /** A Chroma server to use instead of the embedded one. */
  chromaUrl?: string;
  embeddings: 'local' | 'openai';
  embeddingModel: string;
  openaiApiKey?: string;
  openaiBaseUrl?: string;
  /** Chat model for the optional LLM synthesis; unset → offline answer only. */
  llmModel?: string;
  /** Deadline of the whole LLM answer, in seconds (unset: src/llm/chat.ts's default). */
  llmTimeoutSeconds?: number;
  /** Cap of the LLM reply, in tokens (unset: src/llm/chat.ts's default). */
  llmMaxTokens?: number;
  /** User extensions of the role and theme catalogues (JSON files of the same shape). */
  rolesFile?: string;
  themesFile?: string;
  /** How long a command waits for another one holding the data dir (src/data-dir-lock.ts). */
  waitSeconds: number;
}

export interface ConfigFlags {
  dataDir?: string;
  /** `--wait <seconds>`. */
  wait?: number;
}

interface ConfigFile {
  chromaUrl?: string;
  embeddings?: string;
  embeddingModel?: string;
  openaiBaseUrl?: string;
  llmModel?: string;
  llmTimeout?: number;
  llmMaxTokens?: number;
  roles?: string;
  themes?: string;
}

export function resolveConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): OffersConfig {
  const problems: string[] = [];
  const dataDir = path.resolve(flags.dataDir ?? env.OFFERS_DATA_DIR ?? './data');
  const file = readConfigFile(dataDir, problems);
  const fromFileDir = (p: string | undefined) => (p ? path.resolve(dataDir, p) : undefined);

  const embeddings = env.OFFERS_EMBEDDINGS ?? file.embeddings ?? 'local';
  if (embeddings !== 'local' && embeddings !== 'openai') {
    problems.push(`OFFERS_EMBEDDINGS must be "local" or "openai", not "${embeddings}"`);
  }
  const chromaUrl = nonEmpty(env.CHROMA_URL) ?? file.chromaUrl;
  if (chromaUrl && !/^https?:\/\/[^/]+/.test(chromaUrl)) {
    problems.push(`CHROMA_URL must be an http(s) URL such as http://localhost:8000, not "${chromaUrl}"`);
  }
  const wait = flags.wait ?? (nonEmpty(env.OFFERS_WAIT) !== undefined ? Number(env.OFFERS_WAIT) : DEFAULT_WAIT_SECONDS);
  if (!Number.isFinite(wait) || wait < 0) problems.push(`OFFERS_WAIT must be a number of seconds (0 or more), not "${env.OFFERS_WAIT}"`);
  const llmTimeout = numberSetting(env.OFFERS_LLM_TIMEOUT, file.llmTimeout);
  if (llmTimeout !== undefined && !(Number.isFinite(llmTimeout) && llmTimeout > 0)) problems.push(`OFFERS_LLM_TIMEOUT must be a number of seconds above 0, not "${env.OFFERS_LLM_TIMEOUT ?? file.llmTimeout}"`);
  const llmMaxTokens = numberSetting(env.OFFERS_LLM_MAX_TOKENS, file.llmMaxTokens);
  if (llmMaxTokens !== undefined && !(Number.isInteger(llmMaxTokens) && llmMaxTokens > 0)) {
    problems.push(`OFFERS_LLM_MAX_TOKENS must be a whole number above 0, not "${env.OFFERS_LLM_MAX_TOKENS ?? file.llmMaxTokens}"`);
  }
  const config: OffersConfig = {
    dataDir,
    waitSeconds: wait,
    embeddings: embeddings === 'openai' ? 'openai' : 'local',
    embeddingModel: nonEmpty(env.OFFERS_EMBEDDING_MODEL) ?? file.embeddingModel ?? 'text-embedding-3-small',
  };
  const optional: Partial<OffersConfig> = {
    chromaUrl: chromaUrl?.replace(/\/+$/, ''),
    openaiApiKey: nonEmpty(env.OPENAI_API_KEY),
    openaiBaseUrl: nonEmpty(env.OPENAI_BASE_URL) ?? file.openaiBaseUrl,
    llmModel: nonEmpty(env.OFFERS_LLM_MODEL) ?? file.llmModel,
    llmTimeoutSeconds: llmTimeout,
    llmMaxTokens,
    rolesFile: fromFileDir(file.roles),
    themesFile: fromFileDir(file.themes),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(config, { [key]: value });
  if (config.embeddings === 'openai' && !config.openaiApiKey && !config.openaiBaseUrl) {
    problems.push('OFFERS_EMBEDDINGS=openai needs OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (a local OpenAI-compatible server)');
  }
  if (problems.length > 0) throw new UsageError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return config;
}

function readConfigFile(dataDir: string, problems: string[]): ConfigFile {
  const file = path.join(dataDir, 'offers.config.json');
  if (!existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as ConfigFile;
    problems.push(`${file} must hold a JSON object`);
  } catch (error) {
    problems.push(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return {};
}

/** Long enough for a re-index or a query to finish; a first ingest of a big corpus may need --wait. */
const DEFAULT_WAIT_SECONDS = 300;

/** A number from the environment, else the config file; NaN when the environment's is not one. */
function numberSetting(fromEnv: string | undefined, fromFile: unknown): number | undefined {
  const raw = nonEmpty(fromEnv) ?? fromFile;
  return raw === undefined ? undefined : typeof raw === 'number' ? raw : Number(raw);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}
