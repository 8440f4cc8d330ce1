import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { redactCredentials, splitCredentials } from './util/credentials.ts';
import { UsageError } from './errors.ts';
import { expects, problemList } from './schema-messages.ts';
import { CHROMA_TOKEN_HEADER, type ChromaConnectionSettings } from './store/chroma-connection.ts';
import { realPath } from './util/real-path.ts';

/**
 * Configuration is resolved once, at the edge, with every problem reported together, each naming
 * where its value came from (a flag, an environment variable, a key of the config file).
 * Precedence: command-line flags > environment > config file (`<data dir>/offers.config.json`) > defaults.
 */

/**
 * Every environment variable offers reads, with the flag and the config-file key that set the same
 * value (a flag wins over the variable, which wins over the file): the one table, which the README's
 * (Configuration) lists row for row (test/unit/config.test.ts checks it). Only this module reads
 * process.env: other modules ask readEnv, so a variable not in this table cannot be read.
 */
export const ENVIRONMENT = {
  OFFERS_DATA_DIR: { flag: '--data-dir' },
  CHROMA_URL: { file: 'chromaUrl' },
  /** How to reach CHROMA_URL beyond its address (src/store/chroma-connection.ts). */
  CHROMA_API_KEY: {},
  CHROMA_HEADERS: {},
  CHROMA_TENANT: { file: 'chromaTenant' },
  CHROMA_DATABASE: { file: 'chromaDatabase' },
  /** The shared record (src/records/pg/): a secret, with its password, so never in the file. */
  OFFERS_DATABASE_URL: {},
  OFFERS_EMBEDDINGS: { file: 'embeddings' },
  OFFERS_EMBEDDING_MODEL: { file: 'embeddingModel' },
  OPENAI_API_KEY: {},
  OPENAI_BASE_URL: { file: 'openaiBaseUrl' },
  OFFERS_LLM_MODEL: { file: 'llmModel' },
  OFFERS_LLM_TIMEOUT: { file: 'llmTimeout' },
  OFFERS_LLM_MAX_TOKENS: { file: 'llmMaxTokens' },
  OFFERS_CONTACT: { flag: '--contact' },
  OFFERS_WAIT: { flag: '--wait' },
  /** ATS API bases (ingest/fetch/ats.ts). */
  OFFERS_GREENHOUSE_URL: {},
  OFFERS_LEVER_URL: {},
  OFFERS_ASHBY_URL: {},
  /** Read by `serve` and `mcp --http` (src/serve/http-guard.ts). */
  OFFERS_TOKEN: {},
  /** Any value: an unexpected error also prints its stack trace. */
  OFFERS_DEBUG: {},
} as const satisfies Record<string, { flag?: `--${string}`; file?: string }>;

export type EnvVar = keyof typeof ENVIRONMENT;

/** An environment variable of the table, trimmed; unset when empty. */
export function readEnv(name: EnvVar, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return nonEmpty(env[name]);
}

/** `OFFERS_DEBUG`: whether an unexpected error shows its stack trace (read where no configuration may have been resolved). */
export function debugEnabled(env?: NodeJS.ProcessEnv): boolean {
  return readEnv('OFFERS_DEBUG', env) !== undefined;
}
export interface OffersConfig {
  /** The real path (symlinks resolved): it keys the lock, the embedded server and the record. */
  dataDir: string;
  /** A Chroma server to use instead of the embedded one (without user info: that is in `chromaConnection`). */
  chromaUrl?: string;
  /** Set with chromaUrl when it needs more than its address (see "Chroma connection settings" below). */
  chromaConnection?: ChromaConnectionSettings;
  /** A Postgres database holding the record instead of the data dir's SQLite file (with its password: never show it). */
  databaseUrl?: string;
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
  /** Your email or URL, put in the crawler's User-Agent. */
  contact?: string;
}

export interface ConfigFlags {
  dataDir?: string;
  /** `--wait <seconds>`. */
  wait?: number;
  /** `offers ingest --contact`. */
  contact?: string;
  /**
   * The environment this function reads instead of the process's (serve and mcp also read
   * OFFERS_TOKEN from it): not a flag, src/program.ts never sets it. Tests call the commands in
   * process with the variables a user would set (CHROMA_URL, CHROMA_API_KEY, ...) without changing
   * the test process's own environment, which other tests of the file share.
   */
  env?: NodeJS.ProcessEnv;
}

export const CONFIG_FILE = 'offers.config.json';

const URL_EXPECTED = 'must be an http(s) URL such as http://localhost:8000';
const TEXT_EXPECTED = 'must be a non-empty string';
const SECONDS_EXPECTED = 'must be a number of seconds, 0 or more';

const httpUrl = z
  .string(expects(URL_EXPECTED))
  .trim()
  .regex(/^https?:\/\/[^/\s]+/, URL_EXPECTED)
  .transform((url) => url.replace(/\/+$/, ''));
const POSTGRES_EXPECTED = 'must be a Postgres URL such as postgres://user:password@host:5432/offers';
const postgresUrl = z
  .string(expects(POSTGRES_EXPECTED))
  .trim()
  .regex(/^postgres(ql)?:\/\/[^/\s]+\/[^/\s?]+/, POSTGRES_EXPECTED);
const text = z.string(expects(TEXT_EXPECTED)).trim().min(1, TEXT_EXPECTED);
const embeddings = z.enum(['local', 'openai'], expects('must be "local" or "openai"'));
const seconds = z.coerce.number(expects(SECONDS_EXPECTED)).finite(SECONDS_EXPECTED).min(0, SECONDS_EXPECTED);
const POSITIVE_SECONDS = 'must be a number of seconds above 0';
const positiveSeconds = z.coerce.number(expects(POSITIVE_SECONDS)).finite(POSITIVE_SECONDS).positive(POSITIVE_SECONDS);
const TOKENS_EXPECTED = 'must be a whole number above 0';
const tokens = z.coerce.number(expects(TOKENS_EXPECTED)).int(TOKENS_EXPECTED).positive(TOKENS_EXPECTED);

/** `offers.config.json`: strict, so that a misspelt key is a problem rather than silently ignored. */
const configFileSchema = z
  .object(
    {
      chromaUrl: httpUrl,
      embeddings,
      embeddingModel: text,
      openaiBaseUrl: httpUrl,
      llmModel: text,
      llmTimeout: positiveSeconds,
      llmMaxTokens: tokens,
      /** Not secret, unlike CHROMA_API_KEY and CHROMA_HEADERS, which only the environment sets. */
      chromaTenant: text,
      chromaDatabase: text,
      /** Paths relative to the data dir. */
      roles: text,
      themes: text,
    },
    expects('must hold a JSON object, such as { "roles": "my-roles.json" }'),
  )
  .partial()
  .strict();

type ConfigFile = z.infer<typeof configFileSchema>;

/** A value and where it came from, for messages. */
interface Sourced<T> {
  value: T;
  from: string;
}

export function resolveConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = flags.env ?? process.env): OffersConfig {
  const problems: string[] = [];
  const dataDir = realPath(flags.dataDir ?? readEnv('OFFERS_DATA_DIR', env) ?? './data');
  const configFile = path.join(dataDir, CONFIG_FILE);
  const file = readConfigFile(configFile, problems);
  const fromFile = (key: keyof ConfigFile) => `${configFile}: "${key}"`;

  /** The first of flag, environment and file that is set, checked against `schema`. */
  const pick = <T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, sources: { flag?: [string, unknown]; env?: EnvVar; file?: keyof ConfigFile }): Sourced<T> | undefined => {
    if (sources.flag && sources.flag[1] !== undefined) return check(schema, sources.flag[1], sources.flag[0], problems);
    const raw = sources.env === undefined ? undefined : readEnv(sources.env, env);
    if (sources.env && raw !== undefined) return check(schema, raw, `environment variable ${sources.env}`, problems);
    // File values were checked as the file was read.
    const value = sources.file === undefined ? undefined : file[sources.file];
    return value === undefined ? undefined : { value: value as T, from: fromFile(sources.file!) };
  };

  const chosen = {
    chromaUrl: pick(httpUrl, { env: 'CHROMA_URL', file: 'chromaUrl' }),
    databaseUrl: pick(postgresUrl, { env: 'OFFERS_DATABASE_URL' }),
    embeddings: pick(embeddings, { env: 'OFFERS_EMBEDDINGS', file: 'embeddings' }),
    embeddingModel: pick(text, { env: 'OFFERS_EMBEDDING_MODEL', file: 'embeddingModel' }),
    openaiApiKey: pick(text, { env: 'OPENAI_API_KEY' }),
    openaiBaseUrl: pick(httpUrl, { env: 'OPENAI_BASE_URL', file: 'openaiBaseUrl' }),
    llmModel: pick(text, { env: 'OFFERS_LLM_MODEL', file: 'llmModel' }),
    llmTimeoutSeconds: pick(positiveSeconds, { env: 'OFFERS_LLM_TIMEOUT', file: 'llmTimeout' }),
    llmMaxTokens: pick(tokens, { env: 'OFFERS_LLM_MAX_TOKENS', file: 'llmMaxTokens' }),
    waitSeconds: pick(seconds, { flag: ['--wait', flags.wait], env: 'OFFERS_WAIT' }),
    chromaTenant: pick(text, { env: 'CHROMA_TENANT', file: 'chromaTenant' }),
    chromaDatabase: pick(text, { env: 'CHROMA_DATABASE', file: 'chromaDatabase' }),
    contact: pick(text, { flag: ['--contact', flags.contact], env: 'OFFERS_CONTACT' }),
  };
  const catalogue = (key: 'roles' | 'themes'): string | undefined => {
    const value = file[key];
    if (value === undefined) return undefined;
    const resolved = path.resolve(dataDir, value);
    if (!existsSync(resolved)) problems.push(`${fromFile(key)} names ${resolved}, which does not exist (paths are relative to the data dir)`);
    return resolved;
  };
  const config: OffersConfig = {
    dataDir,
    waitSeconds: chosen.waitSeconds?.value ?? DEFAULT_WAIT_SECONDS,
    embeddings: chosen.embeddings?.value ?? 'local',
    embeddingModel: chosen.embeddingModel?.value ?? 'text-embedding-3-small',
  };
  const optional: { [K in keyof OffersConfig]?: OffersConfig[K] | undefined } = {
    chromaUrl: chosen.chromaUrl?.value,
    databaseUrl: chosen.databaseUrl?.value,
    openaiApiKey: chosen.openaiApiKey?.value,
    openaiBaseUrl: chosen.openaiBaseUrl?.value,
    llmModel: chosen.llmModel?.value,
    llmTimeoutSeconds: chosen.llmTimeoutSeconds?.value,
    llmMaxTokens: chosen.llmMaxTokens?.value,
    contact: chosen.contact?.value,
    rolesFile: catalogue('roles'),
    themesFile: catalogue('themes'),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(config, { [key]: value });
  Object.assign(config, resolveChromaConnection(config.chromaUrl, { tenant: chosen.chromaTenant, database: chosen.chromaDatabase }, env, problems));
  if (config.databaseUrl && !config.chromaUrl) {
    // A shared record over each machine's own embedded store would list chunks the others lack.
    problems.push('environment variable OFFERS_DATABASE_URL shares the record, so the vectors must be shared too: set CHROMA_URL to the team\'s Chroma server');
  }
  if (config.embeddings === 'openai' && !config.openaiApiKey && !config.openaiBaseUrl) {
    problems.push(
      `embeddings "openai" (from ${chosen.embeddings!.from}) needs OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (a local OpenAI-compatible server)`,
    );
  }
  if (problems.length > 0) throw new UsageError(problemList('invalid configuration', problems));
  return config;
}

function check<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, raw: unknown, from: string, problems: string[]): Sourced<T> | undefined {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { value: parsed.data, from };
  problems.push(`${from} ${parsed.error.issues[0]?.message ?? 'is invalid'}, not ${shown(raw)}`);
  return undefined;
}

/** A refused value as a problem quotes it: a URL's user info is a password, left out. */
function shown(raw: unknown): string {
  return JSON.stringify(typeof raw === 'string' ? redactCredentials(raw) : raw);
}

/** The file's valid keys; every problem (syntax, shape, unknown or invalid keys) is added to `problems`. */
function readConfigFile(file: string, problems: string[]): ConfigFile {
  if (!existsSync(file)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${file} is not valid JSON: ${(error as Error).message}`);
    return {};
  }
  const parsed = configFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const invalid = new Set<string>();
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const guess = closest(key, Object.keys(configFileSchema.shape));
        problems.push(`${file}: unknown key "${key}" (${guess ? `did you mean "${guess}"?` : `known keys: ${Object.keys(configFileSchema.shape).join(', ')}`})`);
      }
      continue;
    }
    const key = issue.path[0];
    if (key === undefined) {
      problems.push(`${file} ${issue.message}`);
      return {};
    }
    invalid.add(String(key));
    problems.push(`${file}: "${String(key)}" ${issue.message}, not ${shown((json as Record<string, unknown>)[key])}`);
  }
  // The valid keys still count, so that every other problem is reported in the same run.
  const shape = configFileSchema.shape;
  const valid: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (!(key in shape) || invalid.has(key)) continue;
    valid[key] = shape[key as keyof typeof shape].parse(value);
  }
  return valid as ConfigFile;
}

/** The candidate a typo most likely meant: within a third of its length in edits, else none. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Levenshtein distance, with a transposition counted as one edit ("embeddigns"). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** Long enough for a re-index or a query to finish; a first ingest of a big corpus may need --wait. */
const DEFAULT_WAIT_SECONDS = 300;

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}

// ---------------------------------------------------------------------------------------------
// Chroma connection settings (CONTRACT, "Shared index"): Chroma Cloud, or a server behind a
// gateway that wants a token. CHROMA_API_KEY and CHROMA_HEADERS are secrets: they are read from
// the environment only (never the config file, which gets copied around), and a problem names
// the variable without echoing its value. So is a user name and password in CHROMA_URL: taken
// out of the URL everything prints, and sent as a Basic authorization.
// ---------------------------------------------------------------------------------------------

const HEADERS_EXPECTED = 'must be a JSON object of header names and text values, such as {"x-gateway-key": "..."}';
/** RFC 9110 field names, and values without the line breaks that would split a request. */
const chromaHeaders = z
  .string()
  .transform((raw, context) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      context.addIssue({ code: z.ZodIssueCode.custom, message: HEADERS_EXPECTED });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/), z.string().regex(/^[^\r\n\0]*$/), expects(HEADERS_EXPECTED)));

/** The settings for `chromaUrl` (and the URL without its user info), or the problems they have. */
function resolveChromaConnection(
  chromaUrl: string | undefined,
  names: { tenant?: Sourced<string> | undefined; database?: Sourced<string> | undefined },
  env: NodeJS.ProcessEnv,
  problems: string[],
): Pick<OffersConfig, 'chromaUrl' | 'chromaConnection'> {
  const apiKey = nonEmpty(env.CHROMA_API_KEY);
  const rawHeaders = nonEmpty(env.CHROMA_HEADERS);
  const tenant = names.tenant?.value;
  const database = names.database?.value;
  if (!chromaUrl) {
    // The embedded server has no token auth, and only the default tenant and database.
    const set = [apiKey && 'environment variable CHROMA_API_KEY', rawHeaders && 'environment variable CHROMA_HEADERS', names.tenant?.from, names.database?.from].filter(Boolean);
    if (set.length > 0) problems.push(`${set.join(', ')}: only for a Chroma server named by CHROMA_URL (https://api.trychroma.com for Chroma Cloud), and CHROMA_URL is not set`);
    return {};
  }
  const { url, credentials } = splitCredentials(new URL(chromaUrl));
  const headers: Record<string, string> = credentials ? { authorization: credentials.authorization } : {};
  if (rawHeaders) {
    const parsed = chromaHeaders.safeParse(rawHeaders);
    if (parsed.success) for (const [name, value] of Object.entries(parsed.data)) headers[name.toLowerCase()] = value;
    else problems.push(`environment variable CHROMA_HEADERS ${HEADERS_EXPECTED} (its value is not shown: it may hold secrets)`);
  }
  if (apiKey !== undefined) {
    if (/[\r\n\0]/.test(apiKey)) problems.push('environment variable CHROMA_API_KEY must be a key on one line (its value is not shown)');
    else headers[CHROMA_TOKEN_HEADER] = apiKey;
  }
  const bare = credentials ? url.href.replace(/\/+$/, '') : chromaUrl;
  if (Object.keys(headers).length === 0 && !tenant && !database) return { chromaUrl: bare };
  return { chromaUrl: bare, chromaConnection: { headers, ...(tenant ? { tenant } : {}), ...(database ? { database } : {}) } };
}
