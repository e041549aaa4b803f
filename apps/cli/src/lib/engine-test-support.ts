// Test support for the engine commands' CLI tests (ingest, explain, generate, chat): run the
// built CLI as a child process against the shared test meta-assets. Not part of the CLI build.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testAssetsDir } from '@gyro/information/testing';
import { goldenPath, repoRoot } from '@gyro/tooling/golden';

export const BIN = resolve(repoRoot, 'apps/cli/bin/gyro.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `gyro ARGS` to completion, optionally piping `input` to stdin. */
export function gyro(args: string[], input?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, env: { ...process.env, GYRO_PROBE: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start `gyro ARGS` with stdin open (for interactive tests). */
export function gyroProcess(args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GYRO_PROBE: '' } });
}

/** The test meta-assets (built once per machine under .cache/assets). */
export function assetsDir(): Promise<string> {
  return testAssetsDir();
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A store at `path` that learned golden/licenses_docs.txt (one document per line), through the
 * built CLI itself, so writer and readers are the same build.
 */
export function learnLicences(assets: string, path: string): void {
  const r = gyro(['ingest', goldenPath('licenses_docs.txt'), '--assets', assets, '--store', path, '--quiet']);
  if (r.code !== 0) throw new Error(`gyro ingest failed: ${r.stderr}`);
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
