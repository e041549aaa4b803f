import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { repoRoot } from '@gyro/tooling/golden';
import { buildOnce } from './build-once.js';

const root = mkdtempSync(join(tmpdir(), 'gyro-build-once-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const moduleUrl = new URL('./build-once.ts', import.meta.url).href;

/** A child process that calls buildOnce with a slow builder which logs each build it starts. */
function racer(dir: string, log: string): Promise<string> {
  const code = `
    import { appendFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
    const { buildOnce } = await import(${JSON.stringify(moduleUrl)});
    const out = await buildOnce(${JSON.stringify(dir)}, {
      isReady: (d) => existsSync(d + '/done'),
      build: async (tmp) => {
        appendFileSync(${JSON.stringify(log)}, process.pid + '\\n');
        mkdirSync(tmp, { recursive: true });
        await new Promise((r) => setTimeout(r, 400));
        writeFileSync(tmp + '/done', 'yes');
      },
      pollMs: 20,
    });
    process.stdout.write(out);`;
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: resolve(repoRoot) });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (c) => (c === 0 ? res(out) : rej(new Error(err))));
  });
}

it('four processes racing build once; all get the finished folder', async () => {
  const dir = join(root, 'a', 'assets');
  const log = join(root, 'a.log');
  writeFileSync(log, '');
  const outs = await Promise.all([racer(dir, log), racer(dir, log), racer(dir, log), racer(dir, log)]);
  expect(outs).toEqual([dir, dir, dir, dir]);
  expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
  expect(readFileSync(join(dir, 'done'), 'utf8')).toBe('yes');
  expect(readdirSync(join(root, 'a'))).toEqual(['assets']); // no lock, tmp or old folder left
}, 60_000);

it('a lock left by a dead process is taken over; a ready folder is reused without building', async () => {
  const dir = join(root, 'b', 'assets');
  let builds = 0;
  const opts = {
    isReady: (d: string) => readdirSafe(d).includes('done'),
    build: async (tmp: string) => {
      builds++;
      rmSync(tmp, { recursive: true, force: true });
      await import('node:fs').then((fs) => {
        fs.mkdirSync(tmp, { recursive: true });
        fs.writeFileSync(join(tmp, 'done'), '');
      });
    },
    pollMs: 10,
  };
  await import('node:fs').then((fs) => fs.mkdirSync(join(root, 'b'), { recursive: true }));
  writeFileSync(`${dir}.lock`, '2147483646'); // no such process
  expect(await buildOnce(dir, opts)).toBe(dir);
  expect(await buildOnce(dir, opts)).toBe(dir);
  expect(builds).toBe(1);
});

it('a failing build releases the lock and reports the error', async () => {
  const dir = join(root, 'c', 'assets');
  const build = async (tmp: string): Promise<void> => {
    await import('node:fs').then((fs) => fs.mkdirSync(tmp, { recursive: true }));
    throw new Error('boom');
  };
  await expect(buildOnce(dir, { isReady: () => false, build })).rejects.toThrow('boom');
  expect(readdirSafe(join(root, 'c'))).toEqual([]);
});

function readdirSafe(d: string): string[] {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}
