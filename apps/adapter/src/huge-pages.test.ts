import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProcess } from '@gyro/tooling/run';
import { HUGE_PAGES_TUNABLE, hugePagesRequested } from './huge-pages.js';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = ['--import', 'tsx', 'test/relaunch-child.ts'];
const envWithout = (extra: Record<string, string> = {}) => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.GLIBC_TUNABLES;
  delete env.GYRO_HUGE_PAGES;
  return { ...env, ...extra };
};
const run = (args: string[], env: NodeJS.ProcessEnv, input?: string) =>
  runProcess(process.execPath, [...CHILD, ...args], { cwd: PKG, env, input, timeout: 30_000 });
const hello = (stdout: string) => JSON.parse(stdout.split('\n')[0]!) as { pid: number; ppid: number; tunables: string | null; argv: string[] };

describe('hugePagesRequested', () => {
  it('reads any glibc.malloc.hugetlb setting among the tunables', () => {
    expect(hugePagesRequested({})).toBe(false);
    expect(hugePagesRequested({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' })).toBe(false);
    expect(hugePagesRequested({ GLIBC_TUNABLES: HUGE_PAGES_TUNABLE })).toBe(true);
    expect(hugePagesRequested({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0' })).toBe(true);
  });
});

describe.runIf(process.platform === 'linux')('relaunchWithHugePages (real child processes)', () => {
  it('runs the same script and arguments once more, in a child that has the tunable', async () => {
    const r = await run(['exit', '0', 'extra arg'], envWithout());
    expect(r.code).toBe(0);
    const h = hello(r.stdout);
    expect(h.tunables).toBe(HUGE_PAGES_TUNABLE);
    expect(h.argv).toEqual(['exit', '0', 'extra arg']);
    expect(h.ppid).toBe(r.pid); // the process we started is the parent of the one that ran
    expect(r.stdout.trim().split('\n')).toHaveLength(1); // the parent itself printed nothing
  });

  it('keeps tunables already set and adds its own', async () => {
    const r = await run(['exit', '0'], envWithout({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }));
    expect(hello(r.stdout).tunables).toBe(`glibc.malloc.arena_max=2:${HUGE_PAGES_TUNABLE}`);
  });

  it('does nothing when the tunable is set or GYRO_HUGE_PAGES=0', async () => {
    const set = await run(['exit', '0'], envWithout({ GLIBC_TUNABLES: HUGE_PAGES_TUNABLE }));
    expect(hello(set.stdout).pid).toBe(set.pid);
    const off = await run(['exit', '0'], envWithout({ GYRO_HUGE_PAGES: '0' }));
    expect(hello(off.stdout).pid).toBe(off.pid);
    expect(hello(off.stdout).tunables).toBeNull();
  });

  it("ends with the child's exit code, or the signal that ended it", async () => {
    expect((await run(['exit', '7'], envWithout())).code).toBe(7);
    const died = await run(['die'], envWithout());
    expect(died.code).toBeNull();
    expect(died.signal).toBe('SIGKILL');
  });

  it('shares stdin and stdout with the child', async () => {
    const r = await run(['echo'], envWithout(), 'hello\nworld');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('echo:HELLO\nWORLD\n');
  });

  it('passes SIGTERM, SIGHUP and SIGINT sent to the parent on to the child', async () => {
    const child = spawn(process.execPath, [...CHILD, 'signals', '3'], { cwd: PKG, env: envWithout(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    const seen = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => (out.includes(text) ? resolve() : undefined);
        child.stdout.on('data', (d: string) => {
          out += d;
          check();
        });
        check();
      });
    await seen('ready\n');
    const order = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
    for (const s of order) {
      child.kill(s);
      await seen(`got:${s}\n`);
    }
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    expect([code, signal]).toEqual([0, null]);
    expect(hello(out).ppid).toBe(child.pid);
  });
});
