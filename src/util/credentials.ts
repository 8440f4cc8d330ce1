/**
 * User names and passwords in URLs (`https://user:secret@jobs.example.org/…`), pure. A seed may
 * carry them for a password-protected mirror; they are used for that seed's own origin in this
 * run, and nothing the tool stores (sources, offers, snapshots) or prints (failures, summaries)
 * ever holds them. A re-index asks without them.
 */

/** Basic authorization for one origin, kept in memory only. */
export interface Credentials {
  origin: string;
  authorization: string;
}

// A backslash ends an http(s) authority too (WHATWG URL): `http://host\@x/` is host `host`.
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#\\]*@/i;
const LOOSE_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/).*@/is;

/**
 * Text that may be a URL, with any user name and password taken out: for keys and messages.
 * A URL that parses has its user info before the first / \ ? or #; text that does not parse (an
 * invalid seed, echoed in its error) may hide a password anywhere before its last "@".
 */
export function redactCredentials(text: string): string {
  return text.replace(URL.canParse(text) ? USERINFO : LOOSE_USERINFO, '$1');
}

/** A URL without its user name and password, and those as a Basic authorization for its origin. */
export function splitCredentials(url: URL): { url: URL; credentials?: Credentials } {
  if (!url.username && !url.password) return { url };
  const bare = new URL(url);
  bare.username = '';
  bare.password = '';
  const secret = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { url: bare, credentials: { origin: bare.origin, authorization: `Basic ${Buffer.from(secret).toString('base64')}` } };
}
