// The one fixture of the CLI's tests: run the built `gyro` (bin/gyro.js) as a child process, in
// a temp folder of the suite's own, against the shared test meta-assets (built once per machine;
// GYRO_CACHE points at them), optionally over a store that learned the golden licence texts.
// Not part of the CLI build. Build first: pnpm turbo run build --filter=@gyro/cli...
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { testAssetsDir } from '@gyro/information/testing';
import { goldenPath, repoRoot } from '@gyro/tooling/golden';
import { runProcess } from '@gyro/tooling/run';

export const BIN = resolve(repoRoot, 'apps/cli/bin/gyro.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Piped to stdin (stdin is empty otherwise). */
  input?: string | Buffer;
  /** Added to (or, as '', blanking) this process's environment. */
  env?: Record<string, string>;
  /** Node's own flags, before the script (e.g. --max-old-space-size=64). */
  nodeArgs?: string[];
}

// GYRO_PROBE off: its timing lines would land in the output the tests read.
const childEnv = (env: Record<string, string> = {}) => ({ ...process.env, GYRO_PROBE: '', ...env });

/** Run `gyro ARGS` to completion (asynchronously: see @gyro/tooling/run for why). */
export async function runGyro(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const { code, stdout, stderr } = await runProcess(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], { input: opts.input, env: childEnv(opts.env) });
  return { code, stdout, stderr };
}

/** Start `gyro ARGS` with stdin open (interactive tests, servers). */
export function gyroProcess(args: string[], opts: Pick<RunOptions, 'env'> = {}) {
  return spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: childEnv(opts.env) });
}

export interface TempDir {
  dir: string;
  /** A path inside the folder. */
  path(...parts: string[]): string;
  cleanup(): void;
}

export function makeTempDir(prefix: string): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (...parts) => join(dir, ...parts), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The test meta-assets (built once per machine, under GYRO_CACHE or .cache/assets). */
export function assetsDir(): Promise<string> {
  return testAssetsDir();
}

/**
 * A store at `path` that learned golden/licenses_docs.txt (one document per line), through the
 * built CLI itself, so writer and readers are the same build.
 */
export async function learnLicences(assets: string, path: string): Promise<void> {
  const r = await runGyro(['ingest', goldenPath('licenses_docs.txt'), '--assets', assets, '--store', path, '--quiet']);
  if (r.code !== 0) throw new Error(`gyro ingest failed: ${r.stderr}`);
}

export interface CliSuite extends TempDir {
  /** The test meta-assets; set before the suite's first test. */
  readonly assets: string;
  /** With `licences`: the path of the store that learned the licence texts (in the temp folder) before the first test. */
  readonly store: string;
}

/**
 * A test file's setup, called once at its top: its temp folder (removed after its tests), the
 * meta-assets unless `assets: false`, and with `licences: 'name.bin'` a store of that name that
 * learned the licence texts.
 */
export function cliSuite(prefix: string, opts: { assets?: boolean; licences?: string } = {}): CliSuite {
  const tmp = makeTempDir(prefix);
  const store = opts.licences === undefined ? '' : tmp.path(opts.licences);
  let assets = '';
  if (opts.assets !== false || opts.licences !== undefined)
    beforeAll(async () => {
      assets = await assetsDir();
      if (store) await learnLicences(assets, store);
    });
  afterAll(() => tmp.cleanup());
  return {
    ...tmp,
    get assets() {
      if (!assets) throw new Error('the assets are ready only once the suite runs (and not with cliSuite(…, { assets: false }))');
      return assets;
    },
    store,
  };
}

/** Start `gyro serve ARGS` and resolve once it listens: its URL, output so far, and stop() (SIGTERM, resolves with the exit code). */
export async function serveUntilListening(args: string[]) {
  const p = gyroProcess(args);
  let stderr = '';
  let stdout = '';
  // Listening (stderr), then the try-it lines (stdout, one write ending with the Python example).
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m && stdout.includes('python3 -c')) resolve(m[1]!);
    };
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      check();
    });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      check();
    });
    p.once('exit', (code) => reject(new Error(`gyro serve exited with ${code}: ${stderr}`)));
  });
  const stop = () => {
    const exit = new Promise<number | null>((resolve) => p.once('exit', resolve));
    p.kill('SIGTERM');
    return exit;
  };
  return {
    url,
    get stderr() {
      return stderr;
    },
    get stdout() {
      return stdout;
    },
    stop,
  };
}
