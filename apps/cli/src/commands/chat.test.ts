import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSuite, gyroProcess, runGyro } from '../../test/fixture.js';

const fx = cliSuite('gyro-cli-chat-', { licences: 'public.bin' });
const store = fx.store;

describe('gyro chat', () => {
  it('answers piped lines, runs /info /explain /reset, and flushes every agent at end of input', async () => {
    const agents = fx.path('agents-piped');
    const publicSize = statSync(store).size;
    const r = await runGyro(['chat', '--assets', fx.assets, '--store', store, '--agents', agents, '--max-tokens', '8', '--seed', '1'], {
      input: 'what may i do with the software?\n/info\n/explain 3\n/reset\n/bogus\nthank you\n',
    });
    expect(r.code).toBe(0);
    const out = r.stdout.split('\n');
    expect(out.filter((l) => l.startsWith('assistant> '))).toHaveLength(2);
    expect(out.some((l) => /^assistant: state \d+ \(representative \d+\)/.test(l))).toBe(true);
    expect(out.some((l) => /^state \d+, representative \d+: 3 shown$/.test(l))).toBe(true);
    expect(out).toContain('(agents back at the archetype; knowledge kept)');
    expect(out.some((l) => l.startsWith('unknown command /bogus'))).toBe(true);
    expect(statSync(join(agents, 'user', 'knowledge.bin')).size).toBeGreaterThan(0);
    expect(statSync(join(agents, 'assistant', 'knowledge.bin')).size).toBeGreaterThan(0);
    expect(statSync(store).size).toBe(publicSize); // the public store is read-only
  });

  it('Ctrl-C ends the session cleanly after flushing', async () => {
    const agents = fx.path('agents-sigint');
    const p = gyroProcess(['chat', '--assets', fx.assets, '--store', store, '--agents', agents, '--max-tokens', '5']);
    let stdout = '';
    const replied = new Promise<void>((resolve) => {
      p.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('assistant> ')) resolve();
      });
    });
    p.stdin.write('tell me about the licence\n');
    await replied;
    const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
    p.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(statSync(join(agents, 'user', 'knowledge.bin')).size).toBeGreaterThan(0);
    expect(statSync(join(agents, 'assistant', 'knowledge.bin')).size).toBeGreaterThan(0);
  });
});
