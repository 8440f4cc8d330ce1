#!/usr/bin/env node
// The `offers` command. The sources are TypeScript run through tsx's loader, so there is no
// build step between a checkout and a working command; a bundle of exactly these sources
// (scripts/build.mjs, made by `npm ci` and `npm test`) starts in half the time and is used when
// it is fresh (bundle.mjs).
import { freshBundle } from './bundle.mjs';

const bundle = freshBundle();
if (bundle) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
