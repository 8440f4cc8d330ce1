// Whether dist/cli/ (scripts/build.mjs) may stand in for the sources: only when every source it
// was built from is still there, unchanged since the build began. An edit, a checkout or a
// deleted file makes it stale, and bin/offers.mjs then runs the sources through tsx. A bundle
// wrongly judged stale costs a slower start; one wrongly judged fresh would run old code, so any
// doubt (no manifest, an unreadable one) is stale.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BUNDLE_DIR = new URL('../dist/cli/', import.meta.url);
export const MANIFEST = 'inputs.json';
const ROOT = new URL('../', import.meta.url);

/** The bundle's entry module when it is fresh, else undefined. */
export function freshBundle(bundleDir = BUNDLE_DIR, root = ROOT) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL(MANIFEST, bundleDir), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof manifest?.builtAt !== 'number' || !Array.isArray(manifest.inputs) || manifest.inputs.length === 0) return undefined;
  for (const input of manifest.inputs) {
    const stat = statSync(fileURLToPath(new URL(input, root)), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs > manifest.builtAt) return undefined;
  }
  return new URL('cli.js', bundleDir);
}
