import { ChromaClient, ChromaForbiddenError, ChromaUnauthorizedError } from 'chromadb';
import { FatalError } from '../errors.ts';

/**
 * How to reach a Chroma server beyond its URL: Chroma Cloud, or a self-hosted server behind a
 * gateway that wants a token (CONTRACT, "Shared index"). Resolved by src/config.ts from
 * CHROMA_API_KEY, CHROMA_TENANT, CHROMA_DATABASE, CHROMA_HEADERS and the URL's user info.
 */
export interface ChromaConnectionSettings {
  /**
   * Sent with every request, the chromadb client's and our own (the heartbeat), names in lower
   * case. They hold secrets (x-chroma-token, authorization): never printed, logged or reported.
   */
  headers: Record<string, string>;
  /** Unset: the server's default, or with an API key the one the key grants (as CloudClient does). */
  tenant?: string;
  database?: string;
}

/** The header Chroma's token auth and Chroma Cloud read the API key from (chromadb's CloudClient). */
export const CHROMA_TOKEN_HEADER = 'x-chroma-token';

export interface ChromaAddress {
  host: string;
  port: number;
  ssl: boolean;
}

/** The chromadb client's form of a server URL (a path after the port is not supported). */
export function chromaAddress(url: string): ChromaAddress {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    throw new FatalError(`the Chroma URL ${url} is not an http(s) URL`, 'write it like http://localhost:8000');
  }
  const ssl = parsed.protocol === 'https:';
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : ssl ? 443 : 80, ssl };
}

/**
 * A client for the server at `url` with these settings. With an API key and no tenant or
 * database, they are asked of the server (the key's identity), as the chromadb package's
 * CloudClient does: a Cloud key is bound to its tenant, and to its database when it has one.
 */
export async function openChromaClient(address: ChromaAddress, settings: ChromaConnectionSettings | undefined): Promise<ChromaClient> {
  if (!settings) return new ChromaClient(address);
  const { headers } = settings;
  let { tenant, database } = settings;
  if (headers[CHROMA_TOKEN_HEADER] !== undefined && (tenant === undefined || database === undefined)) {
    const identity = await new ChromaClient({ ...address, headers }).getUserIdentity();
    const databases = [...new Set(identity.databases)];
    tenant ??= identity.tenant;
    // A key for several databases (or all, "*") names none: the default one is tried, and a
    // missing one is reported with the fix (chromaRefusal).
    if (databases.length === 1 && databases[0] !== '*') database ??= databases[0];
  }
  return new ChromaClient({ ...address, headers, ...(tenant ? { tenant } : {}), ...(database ? { database } : {}) });
}

/**
 * What the server's refusals mean for the user: 401/403 are the credentials (or their absence),
 * "Database [x] does not exist" is CHROMA_DATABASE or CHROMA_TENANT. Undefined for anything else.
 * Chroma's own answer is kept as the cause; the headers sent are never part of it.
 */
export function chromaRefusal(url: string, error: unknown): FatalError | undefined {
  // `status`: our own heartbeat's answer (chroma-store.ts).
  const status = (error as { status?: unknown }).status;
  if (error instanceof ChromaUnauthorizedError || error instanceof ChromaForbiddenError || status === 401 || status === 403) {
    return new FatalError(
      `Chroma at ${url} refused the credentials`,
      `set CHROMA_API_KEY to a key this server accepts (sent as ${CHROMA_TOKEN_HEADER}), or put the headers its gateway wants in CHROMA_HEADERS`,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : '';
  const missing = /Database \[([^\]]*)\] (?:does not exist|not found)/.exec(message);
  if (missing) {
    const tenant = /\/tenants\/([^/]+)\/databases\//.exec(message)?.[1];
    // No cause: it says nothing more than this, in a request URL.
    return new FatalError(
      `Chroma at ${url} has no database "${missing[1]}"${tenant ? ` in the tenant "${decodeURIComponent(tenant)}"` : ''}`,
      "create it (Chroma Cloud's dashboard, or the chromadb AdminClient's createDatabase), or set CHROMA_DATABASE and CHROMA_TENANT to ones that exist",
    );
  }
  return undefined;
}
