/**
 * A fetched body → what the parsers get (pure). The bytes decide before the headers: servers
 * send PDFs as application/octet-stream and HTML as text/plain, and URLs often have no extension
 * at all (`/jobs/42/download`). What is plainly not an offer (images, archives, media) is refused
 * here with its type, rather than reaching a text decoder.
 */
import path from 'node:path';
import { SourceError } from '../../src/errors.ts';
import { SUPPORTED_EXTENSIONS } from '../parse/index.ts';
import type { FetchedPage } from '../fetch/http-client.ts';
import { looksLikeSitemap } from '../fetch/sitemap.ts';
import type { SourceContent } from './item.ts';

const UNSUPPORTED_TYPES = /^(?:image|audio|video|font)\/|^application\/(?:zip|gzip|x-gzip|x-tar|x-7z-compressed|vnd\.rar|octet-stream|wasm|x-msdownload)/;

export const mediaType = (contentType: string | undefined) => contentType?.split(';')[0]?.trim().toLowerCase() ?? '';

const isPdf = (body: Uint8Array) => Buffer.from(body.subarray(0, 1024)).includes('%PDF-');

/** Whether a fetched body is a sitemap (or a sitemap index). */
export function isSitemapPage(page: FetchedPage): boolean {
  const type = mediaType(page.contentType);
  if (isPdf(page.body) || /html/.test(type)) return false;
  return looksLikeSitemap(page.body.subarray(0, 4096).toString('utf8'));
}

export function isHtmlPage(page: FetchedPage): boolean {
  if (isPdf(page.body)) return false;
  const type = mediaType(page.contentType);
  if (type) return /html/.test(type);
  return /^\s*<(?:!doctype html|html|head|body)/i.test(page.body.subarray(0, 1024).toString('utf8'));
}

export function pageContent(page: FetchedPage): SourceContent {
  if (isPdf(page.body)) return { bytes: page.body, hint: { contentType: 'application/pdf' } };
  const type = mediaType(page.contentType);
  if (UNSUPPORTED_TYPES.test(type)) throw new SourceError(page.url, `unsupported content type ${type}`);
  const extension = path.posix.extname(new URL(page.finalUrl).pathname).toLowerCase();
  return {
    bytes: page.body,
    hint: {
      ...(type ? { contentType: type } : {}),
      // Only a known extension says anything: `/job.php` or `/jobs/sre-2` are still pages.
      ...(SUPPORTED_EXTENSIONS.includes(extension) ? { extension } : {}),
    },
  };
}
