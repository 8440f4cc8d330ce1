/**
 * The configuration (src/config.ts): `<data dir>/offers.config.json` parsed with a strict schema,
 * every problem reported together naming the file and the key (or the environment variable, or
 * the flag), precedence flags > environment > file > defaults, and the data dir's real path.
 * A malformed file used to end in "unexpected error" (a TypeError), an unknown key was ignored,
 * and a bad "embeddings" in the file was blamed on OFFERS_EMBEDDINGS.
 */
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { debugEnabled, ENVIRONMENT, resolveConfig } from '../../src/config.ts';
import { UsageError } from '../../src/errors.ts';
import { lockPath } from '../../src/data-dir-lock.ts';
import { ROOT, scratchDir } from '../helpers/cli.ts';

describe('resolveConfig', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let dataDir: string;
  let configFile: string;

  before(async () => {
    scratch = await scratchDir('offers-config-');
    dataDir = path.join(scratch.dir, 'data');
    await mkdir(dataDir);
    configFile = path.join(dataDir, 'offers.config.json');
  });
  after(() => scratch.cleanup());

  /** The problems listed by the UsageError that resolving with this file and environment throws. */
  async function problems(file: unknown, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
    await writeFile(configFile, typeof file === 'string' ? file : JSON.stringify(file));
    try {
      resolveConfig({ dataDir }, env);
    } catch (error) {
      assert.ok(error instanceof UsageError, String(error));
      assert.match(error.message, /^invalid configuration:\n/);
      return error.message.split('\n  - ').slice(1);
    }
    return assert.fail('the configuration should have been refused');
  }

  it('names the file and the key of each wrongly typed value', async () => {
    assert.deepEqual(await problems({ roles: 5 }), [`${configFile}: "roles" must be a non-empty string, not 5`]);
    assert.deepEqual(await problems({ chromaUrl: 42 }), [`${configFile}: "chromaUrl" must be an http(s) URL such as http://localhost:8000, not 42`]);
  });

  it('blames a bad "embeddings" on the file, not on OFFERS_EMBEDDINGS', async () => {
    const [problem, ...rest] = await problems({ embeddings: 'remote' });
    assert.equal(problem, `${configFile}: "embeddings" must be "local" or "openai", not "remote"`);
    assert.deepEqual(rest, []);
  });

  it('refuses unknown keys, with a "did you mean" when one is close', async () => {
    assert.deepEqual(await problems({ embedings: 'local', chromaURL: 'http://127.0.0.1:8000', colour: 'blue' }), [
      `${configFile}: unknown key "embedings" (did you mean "embeddings"?)`,
      `${configFile}: unknown key "chromaURL" (did you mean "chromaUrl"?)`,
      `${configFile}: unknown key "colour" (known keys: chromaUrl, embeddings, embeddingModel, openaiBaseUrl, llmModel, llmTimeout, llmMaxTokens, chromaTenant, chromaDatabase, roles, themes)`,
    ]);
  });

  it('reports every problem together, of the file and of the environment, each with where it came from', async () => {
    const found = await problems({ roles: 'missing-roles.json', embeddings: 'openai', llmModel: '' }, { OFFERS_WAIT: 'soon', CHROMA_URL: 'localhost:8000' });
    assert.deepEqual(found, [
      `${configFile}: "llmModel" must be a non-empty string, not ""`,
      'environment variable CHROMA_URL must be an http(s) URL such as http://localhost:8000, not "localhost:8000"',
      'environment variable OFFERS_WAIT must be a number of seconds, 0 or more, not "soon"',
      `${configFile}: "roles" names ${path.join(dataDir, 'missing-roles.json')}, which does not exist (paths are relative to the data dir)`,
      `embeddings "openai" (from ${configFile}: "embeddings") needs OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (a local OpenAI-compatible server)`,
    ]);
  });

  it('refuses a file that is not JSON, or not an object', async () => {
    assert.match((await problems('{"roles": '))[0] ?? '', new RegExp(`^${configFile} is not valid JSON`));
    assert.deepEqual(await problems([1, 2]), [`${configFile} must hold a JSON object, such as { "roles": "my-roles.json" }`]);
  });

  it('takes flags over the environment, the environment over the file, the file over defaults', async () => {
    await writeFile(path.join(dataDir, 'roles.json'), '{}');
    await writeFile(configFile, JSON.stringify({ chromaUrl: 'http://file.example:8000/', llmModel: 'file-model', roles: 'roles.json' }));
    const fromFile = resolveConfig({ dataDir }, {});
    assert.equal(fromFile.chromaUrl, 'http://file.example:8000');
    assert.equal(fromFile.llmModel, 'file-model');
    assert.equal(fromFile.rolesFile, path.join(dataDir, 'roles.json'));
    assert.equal(fromFile.embeddings, 'local');
    assert.equal(fromFile.waitSeconds, 300);
    const fromEnv = resolveConfig({ dataDir }, { CHROMA_URL: 'http://env.example:8000', OFFERS_WAIT: '7' });
    assert.equal(fromEnv.chromaUrl, 'http://env.example:8000');
    assert.equal(fromEnv.llmModel, 'file-model');
    assert.equal(fromEnv.waitSeconds, 7);
    assert.equal(resolveConfig({ dataDir, wait: 0 }, { OFFERS_WAIT: '7' }).waitSeconds, 0);
    // A bad value the flag overrides is not a problem: it is not used.
    assert.equal(resolveConfig({ dataDir, wait: 1 }, { OFFERS_WAIT: 'soon' }).waitSeconds, 1);
  });

  it('resolves a data dir reached through a symlink to its real path, even one not created yet', async () => {
    const link = path.join(scratch.dir, 'link');
    await symlink(dataDir, link);
    await writeFile(configFile, '{}');
    assert.equal(resolveConfig({ dataDir: link }, {}).dataDir, dataDir);
    assert.equal(resolveConfig({}, { OFFERS_DATA_DIR: path.join(link, 'not-yet', 'deeper') }).dataDir, path.join(dataDir, 'not-yet', 'deeper'));
    assert.equal(lockPath(link), lockPath(dataDir));
  });

  describe('Chroma connection settings', () => {
    const URL = 'http://127.0.0.1:8000';
    const KEY = 'ck-0123-secret-key';

    it('sends CHROMA_API_KEY as x-chroma-token, with CHROMA_HEADERS (names in lower case), and takes tenant and database from the environment or the file', async () => {
      await writeFile(configFile, JSON.stringify({ chromaTenant: 'file-tenant', chromaDatabase: 'file-db' }));
      const config = resolveConfig({ dataDir }, { CHROMA_URL: URL, CHROMA_API_KEY: KEY, CHROMA_HEADERS: '{"X-Gateway-Team": "blue", "x-chroma-token": "overridden"}', CHROMA_DATABASE: 'env-db' });
      assert.equal(config.chromaUrl, URL);
      assert.deepEqual(config.chromaConnection, { headers: { 'x-gateway-team': 'blue', 'x-chroma-token': KEY }, tenant: 'file-tenant', database: 'env-db' });
    });

    it('leaves the connection unset when only CHROMA_URL is given', async () => {
      await writeFile(configFile, '{}');
      assert.equal(resolveConfig({ dataDir }, { CHROMA_URL: URL }).chromaConnection, undefined);
    });

    it('takes a user name and password out of CHROMA_URL, into a Basic authorization', async () => {
      await writeFile(configFile, '{}');
      const config = resolveConfig({ dataDir }, { CHROMA_URL: 'https://team:pa55word@chroma.example.org/' });
      assert.equal(config.chromaUrl, 'https://chroma.example.org');
      assert.deepEqual(config.chromaConnection, { headers: { authorization: `Basic ${Buffer.from('team:pa55word').toString('base64')}` } });
    });

    it('refuses malformed CHROMA_HEADERS naming the variable, never echoing the value', async () => {
      const secret = 'Bearer hunter2-token';
      for (const raw of [`{"authorization": "${secret}"`, `["${secret}"]`, `{"authorization": ["${secret}"]}`, `{"bad name": "${secret}"}`, `{"authorization": "${secret}\\r\\nx-evil: 1"}`]) {
        const found = await problems({}, { CHROMA_URL: URL, CHROMA_HEADERS: raw });
        assert.deepEqual(found, ['environment variable CHROMA_HEADERS must be a JSON object of header names and text values, such as {"x-gateway-key": "..."} (its value is not shown: it may hold secrets)'], raw);
      }
    });

    it('refuses an API key on two lines without showing it, and a password in an invalid CHROMA_URL is not echoed', async () => {
      assert.deepEqual(await problems({}, { CHROMA_URL: URL, CHROMA_API_KEY: `${KEY}\nmore` }), ['environment variable CHROMA_API_KEY must be a key on one line (its value is not shown)']);
      assert.deepEqual(await problems({}, { CHROMA_URL: 'ftp://team:pa55word@chroma.example.org' }), ['environment variable CHROMA_URL must be an http(s) URL such as http://localhost:8000, not "ftp://chroma.example.org"']);
      assert.deepEqual(await problems({ chromaUrl: 'ftp://team:pa55word@chroma.example.org' }), [`${configFile}: "chromaUrl" must be an http(s) URL such as http://localhost:8000, not "ftp://chroma.example.org"`]);
    });

    it('refuses the settings without CHROMA_URL: the embedded server takes none', async () => {
      assert.deepEqual(await problems({ chromaDatabase: 'team' }, { CHROMA_API_KEY: KEY }), [
        `environment variable CHROMA_API_KEY, ${configFile}: "chromaDatabase": only for a Chroma server named by CHROMA_URL (https://api.trychroma.com for Chroma Cloud), and CHROMA_URL is not set`,
      ]);
    });
  });
});

describe('the environment table', () => {
  it('sets the contact: the flag over OFFERS_CONTACT, trimmed, unset when empty', () => {
    const dataDir = path.join(ROOT, 'data');
    assert.equal(resolveConfig({ dataDir, contact: 'flag@example.org' }, { OFFERS_CONTACT: 'env@example.org' }).contact, 'flag@example.org');
    assert.equal(resolveConfig({ dataDir }, { OFFERS_CONTACT: ' env@example.org ' }).contact, 'env@example.org');
    assert.equal(resolveConfig({ dataDir }, { OFFERS_CONTACT: '  ' }).contact, undefined);
  });

  it('reads OFFERS_DEBUG as set or not', () => {
    assert.equal(debugEnabled({ OFFERS_DEBUG: '1' }), true);
    assert.equal(debugEnabled({ OFFERS_DEBUG: '' }), false);
    assert.equal(debugEnabled({}), false);
  });

  it('is the README\'s Configuration table, row for row, with its flags and file keys', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Configuration'), readme.indexOf('\n### ', readme.indexOf('\n## Configuration')));
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    const documented = rows.flatMap((row) => [...row.split(' | ')[0]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
    assert.deepEqual(documented, Object.keys(ENVIRONMENT));
    for (const [name, where] of Object.entries(ENVIRONMENT) as Array<[string, { flag?: string; file?: string }]>) {
      const row = rows.find((r) => r.includes(`\`${name}\``))!;
      if (where.flag) assert.ok(row.includes(`(\`${where.flag}\`)`), `${name}: ${where.flag}`);
      if (where.file) assert.ok(row.includes(`(file: \`${where.file}\`)`), `${name}: ${where.file}`);
    }
  });

  it('is read by src/config.ts alone: no other module reads process.env', () => {
    const readers = ['src', 'ingest', 'web'].flatMap((folder) =>
      readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ts'))
        .map((name) => path.join(folder, name))
        // Not a read: a setting of the SQLite library, made before it loads.
        .filter((file) => file !== path.join('src', 'config.ts') && /process\.env\b(?!\.SQLITE_USE_URI \?\?=)/.test(readFileSync(path.join(ROOT, file), 'utf8'))),
    );
    assert.deepEqual(readers, []);
  });
});
