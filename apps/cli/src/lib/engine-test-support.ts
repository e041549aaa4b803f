// Test support for the engine commands' CLI tests (ingest, explain, generate, chat): run the
// built CLI as a child process against the shared test meta-assets. Not part of the CLI build.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GyroSI } from '@gyro/intelligence';
import { loadInformationEngine } from '@gyro/information';
import { testAssetsDir } from '@gyro/information/testing';
import { OrbitStore } from '@gyro/store';
import { goldenText, repoRoot } from '@gyro/tooling/golden';
import { textToBytes } from '@gyro/tokenizer';

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

/** A store at `path` that learned golden/licenses_docs.txt (one document per line), in-process. */
export function learnLicences(assets: string, path: string): void {
  const agent = new GyroSI(loadInformationEngine(assets, { mode: 'stt-free' }), OrbitStore.open(path));
  for (const line of goldenText('licenses_docs.txt').split('\n')) if (line.trim()) agent.ingest(textToBytes(line));
  agent.close();
}
