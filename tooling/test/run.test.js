// runProcess: a real child (node -e), its stdin, output, exit code and signal.
import { describe, expect, it } from 'vitest';
import { runProcess } from '../run.js';

const node = (code, opts) => runProcess(process.execPath, ['-e', code], opts);

describe('runProcess', () => {
  it('passes input to stdin and collects stdout and stderr apart', async () => {
    const r = await node('process.stdin.pipe(process.stdout); process.stderr.write("e")', { input: 'a\nb' });
    expect(r).toMatchObject({ code: 0, signal: null, stdout: 'a\nb', stderr: 'e' });
    expect(r.pid).toBeGreaterThan(0);
  });

  it('closes stdin at once without input, and keeps output of any size', async () => {
    const r = await node('process.stdin.resume().on("end", () => process.stdout.write("x".repeat(3 << 20)))');
    expect(r.stdout.length).toBe(3 << 20);
  });

  it('reports the exit code, or the signal that ended the child', async () => {
    expect((await node('process.exit(7)')).code).toBe(7);
    expect(await node('process.kill(process.pid, "SIGKILL")')).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(await node('setTimeout(() => {}, 60_000)', { timeout: 200 })).toMatchObject({ code: null, signal: 'SIGKILL' });
  });

  it('uses cwd and env, and keeps the event loop free while the child runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const r = await node('setTimeout(() => console.log(process.cwd(), process.env.RUN_TEST), 300)', { cwd: '/', env: { ...process.env, RUN_TEST: 'yes' } });
    clearInterval(timer);
    expect(r.stdout).toBe('/ yes\n');
    expect(ticks).toBeGreaterThan(5);
  });

  it('rejects when the command cannot start', async () => {
    await expect(runProcess('/no/such/command', [])).rejects.toThrow(/ENOENT/);
  });
});
