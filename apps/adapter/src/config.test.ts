import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveArgs } from '@gyro/tooling/serve-args';
import { ConfigError, loadConfig, PREFERENCES_OPTION, SETTINGS, settingHelp } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'gyro-config-'));
const prefs = join(dir, 'prefs.json');
writeFileSync(prefs, JSON.stringify({ port: 9100, workers: 3, publicStore: 'mem/k.bin', turnTimeoutMs: 5000, agent: { maxReplyTokens: 40 } }));

describe('loadConfig', () => {
  it('has defaults that need no settings', () => {
    const c = loadConfig({ env: { XDG_DATA_HOME: '/home/u/data' }, argv: [] });
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8000, turnTimeoutMs: 8000, bodyLimit: 1048576, modelId: 'gyrosi-baby', workerNice: 10 });
    // The store `gyro ingest` fills by default, agents beside it as `gyro chat` keeps them.
    expect(c.publicStore).toBe('/home/u/data/gyro/knowledge.bin');
    expect(c.privateRoot).toBe('/home/u/data/gyro/agents');
    expect(loadConfig({ env: { GYRO_STORE: '/srv/k.bin' } }).privateRoot).toBe('/srv/agents');
  });

  it('reads every flag the tests and benches start servers with (@gyro/tooling/serve-args)', () => {
    const argv = serveArgs({
      host: '::1',
      port: 0,
      assets: '/a',
      store: '/s/k.bin',
      agents: '/s/ag',
      workers: 3,
      workerNice: 0,
      engineMode: 'stt-free',
      logLevel: 'silent',
    });
    expect(argv).toHaveLength(18);
    expect(loadConfig({ env: {}, argv })).toMatchObject({
      host: '::1',
      port: 0,
      assetsDir: '/a',
      publicStore: '/s/k.bin',
      privateRoot: '/s/ag',
      workers: 3,
      workerNice: 0,
      engineMode: 'stt-free',
      logLevel: 'silent',
    });
  });

  it('layers preferences file < environment < flags, paths in the file relative to it', () => {
    const c = loadConfig({ env: { GYRO_PREFERENCES: prefs, GYRO_PORT: '9200', GYRO_WORKERS: '2' }, argv: ['--workers', '1', '--turn-timeout-ms=100'] });
    expect(c.port).toBe(9200);
    expect(c.workers).toBe(1);
    expect(c.turnTimeoutMs).toBe(100);
    expect(c.publicStore).toBe(join(dir, 'mem', 'k.bin'));
    expect(c.privateRoot).toBe(join(dir, 'mem', 'agents'));
    expect(c.agent).toEqual({ maxReplyTokens: 40 });
    expect(c.preferencesPath).toBe(prefs);
    expect(loadConfig({ env: {}, argv: ['--', '--port', '9300'] }).port).toBe(9300); // pnpm start -- …
  });

  it('names the bad setting and where it came from', () => {
    expect(() => loadConfig({ env: { GYRO_PORT: 'eighty' } })).toThrow(/GYRO_PORT must be an integer/);
    expect(() => loadConfig({ env: {}, argv: ['--port', '70000'] })).toThrow(ConfigError);
    expect(() => loadConfig({ env: {}, argv: ['--prot', '1'] })).toThrow(/unknown option --prot/);
    expect(() => loadConfig({ env: {}, argv: ['--port'] })).toThrow(/needs a value/);
    expect(() => loadConfig({ env: {}, argv: ['--engine-mode', 'fast'] })).toThrow(/stt, stt-free/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"prot": 1}');
    expect(() => loadConfig({ env: {}, argv: ['--preferences', bad] })).toThrow(/unknown preferences key\(s\) "prot"/);
    writeFileSync(bad, '{oops');
    expect(() => loadConfig({ env: {}, argv: ['--preferences', bad] })).toThrow(/not valid JSON/);
  });

  it('takes flags already split by a command-line parser, parsed and named as argv flags are', () => {
    const c = loadConfig({
      env: { GYRO_PORT: '9200' },
      flags: new Map([
        ['--port', '9400'],
        ['--model-id', 'x'],
        ['--max-agents', '10'],
      ]),
    });
    expect(c).toMatchObject({ port: 9400, modelId: 'x', maxAgentsInMemory: 10 });
    expect(() => loadConfig({ env: {}, flags: new Map([['--max-agents', 'ten']]) })).toThrow(
      'option --max-agents must be an integer in [3, 1000000], got "ten"',
    );
  });

  it('applies each default of the table, and shows it in help', () => {
    const c = loadConfig({ env: {} }) as unknown as Record<string, unknown>;
    for (const s of SETTINGS) if (typeof s.default === 'string' || typeof s.default === 'number') expect(c[s.key]).toBe(s.default);
    expect(settingHelp(SETTINGS.find((s) => s.key === 'port')!)).toBe('TCP port, 0 for any free one (default 8000; env GYRO_PORT)');
    expect(settingHelp(SETTINGS.find((s) => s.key === 'workers')!)).toContain('(default CPU count, at most 4; env GYRO_WORKERS)');
  });

  it('has one row per setting: unique keys, flags and variables, each in the README table', () => {
    for (const field of ['key', 'flag', 'env'] as const) expect(new Set(SETTINGS.map((s) => s[field])).size).toBe(SETTINGS.length);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const s of [...SETTINGS, PREFERENCES_OPTION]) {
      expect(readme).toContain(`\`${s.flag}`);
      expect(readme).toContain(`\`${s.env}\``);
    }
  });

  it('collects API keys: a repeated --api-key, GYRO_API_KEY, and the lines of --api-key-file', () => {
    expect(loadConfig({ env: {} }).apiKeys).toEqual([]);
    expect(loadConfig({ env: { GYRO_API_KEY: 'env-key' } }).apiKeys).toEqual(['env-key']);
    // Flags override the environment, as for every setting; the file's keys add to either.
    expect(loadConfig({ env: { GYRO_API_KEY: 'env-key' }, argv: ['--api-key', 'k1', '--api-key=k2'] }).apiKeys).toEqual(['k1', 'k2']);
    expect(loadConfig({ env: {}, flags: new Map([['--api-key', ['k1', 'k3']]]) }).apiKeys).toEqual(['k1', 'k3']);
    const file = join(dir, 'keys.txt');
    writeFileSync(file, '# team keys\nfile-1\n\n  file-2  \r\nk1\n');
    expect(loadConfig({ env: {}, argv: ['--api-key', 'k1', '--api-key-file', file] }).apiKeys).toEqual(['k1', 'file-1', 'file-2']);
    expect(loadConfig({ env: { GYRO_API_KEY_FILE: file } }).apiKeys).toEqual(['file-1', 'file-2', 'k1']);
    writeFileSync(file, '# nothing here\n\n');
    expect(() => loadConfig({ env: {}, argv: ['--api-key-file', file] })).toThrow(/holds no key/);
    writeFileSync(file, 'good\nhas space\n');
    expect(() => loadConfig({ env: {}, argv: ['--api-key-file', file] })).toThrow(/line 2 of the API key file/);
    expect(() => loadConfig({ env: {}, argv: ['--api-key-file', join(dir, 'missing.txt')] })).toThrow(/cannot read the API key file/);
    expect(() => loadConfig({ env: {}, argv: ['--api-key', ''] })).toThrow(/option --api-key must be a non-empty key/);
  });

  it('has limits for exposed servers: prompt size, request timeout, connections', () => {
    expect(loadConfig({ env: {} })).toMatchObject({ maxPromptBytes: 65536, requestTimeoutMs: 30_000, maxConnections: 1024 });
    expect(loadConfig({ env: { GYRO_MAX_PROMPT_BYTES: '100' }, argv: ['--max-connections', '8', '--request-timeout-ms', '500'] })).toMatchObject({
      maxPromptBytes: 100,
      requestTimeoutMs: 500,
      maxConnections: 8,
    });
  });

  it('collects CORS origins (repeatable, * allowed) and refuses what is not an origin', () => {
    expect(loadConfig({ env: {} }).corsOrigins).toEqual([]);
    expect(loadConfig({ env: {}, argv: ['--cors-origin', 'https://app.example.com', '--cors-origin', 'http://localhost:5173'] }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(loadConfig({ env: { GYRO_CORS_ORIGIN: '*' } }).corsOrigins).toEqual(['*']);
    expect(() => loadConfig({ env: {}, argv: ['--cors-origin', 'https://app.example.com/path'] })).toThrow(/option --cors-origin must be \* or an origin/);
    expect(() => loadConfig({ env: {}, argv: ['--cors-origin', 'app.example.com'] })).toThrow(ConfigError);
  });
});
