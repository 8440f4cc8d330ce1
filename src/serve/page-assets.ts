import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FatalError } from '../errors.ts';

/**
 * The page of `offers serve`: web/index.html, web/style.css, and web/main.ts bundled into one
 * script by esbuild when the server starts (about 50 ms). No build step to forget and nothing
 * generated to commit or to go stale: the page served is always the source in the checkout, as
 * the CLI itself runs from its TypeScript sources through tsx (which brings esbuild anyway).
 * The page and its modules are TypeScript checked with the rest (`npm test` runs tsc).
 */

export interface Asset {
  body: string;
  type: string;
}

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

export async function buildPageAssets(): Promise<Map<string, Asset>> {
  const { build } = await import('esbuild');
  let script: string;
  try {
    const result = await build({
      entryPoints: [path.join(WEB_DIR, 'main.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      charset: 'utf8',
      logLevel: 'silent',
    });
    script = result.outputFiles[0]!.text;
  } catch (error) {
    throw new FatalError(`could not build the page from ${WEB_DIR}: ${(error as Error).message.split('\n')[0]}`, 'run npm ci in the offers directory', { cause: error });
  }
  const read = (name: string) => readFile(path.join(WEB_DIR, name), 'utf8');
  return new Map<string, Asset>([
    ['/', { body: await read('index.html'), type: 'text/html; charset=utf-8' }],
    ['/style.css', { body: await read('style.css'), type: 'text/css; charset=utf-8' }],
    ['/app.js', { body: script, type: 'text/javascript; charset=utf-8' }],
  ]);
}
