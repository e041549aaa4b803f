// The official Python openai client against the real server (the "done when" list).
// Runs where `python3 -c 'import openai'` works (CI installs it: `pip install openai`).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '@gyro/tooling/run';
import { learnedStoreDir } from './learned-store.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';

const hasPythonClient = spawnSync('python3', ['-c', 'import openai'], { stdio: 'ignore' }).status === 0;
const script = join(dirname(fileURLToPath(import.meta.url)), 'python-client.py');

describe.skipIf(!hasPythonClient)('the official Python openai client (runs where python3 can import openai)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ storeDir: await learnedStoreDir('gyro-adapter-py-'), args: await testArgs() });
  }, 300_000);
  afterAll(async () => {
    if (server) expect(await server.stop()).toBe(0);
  });

  it('temperature 0 repeats for two fresh users, stop, logprobs, completions.create, and a 400 for tools', async () => {
    const r = await runProcess('python3', [script, `${server.url}/v1`], { timeout: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      greedy: string[];
      stop: { whole: string; stop: string; text: string; finish: string };
      logprobs: { completion_tokens: number; content: Array<{ token: string; logprob: number; top: number[] }> };
      completion: { object: string; text: string; finish: string; completion_tokens: number };
      tools: { status: number; code?: string; param?: string };
    };
    expect(out.greedy[0]!.length).toBeGreaterThan(0);
    expect(out.greedy[1]).toBe(out.greedy[0]);
    expect(out.stop.stop.length).toBe(2);
    expect(out.stop.text).toBe(out.stop.whole.slice(0, out.stop.whole.indexOf(out.stop.stop)));
    expect(out.stop.finish).toBe('stop');
    expect(out.logprobs.content).toHaveLength(out.logprobs.completion_tokens);
    for (const t of out.logprobs.content) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.top.length).toBeGreaterThan(0);
    }
    expect(out.completion.object).toBe('text_completion');
    expect(out.completion.completion_tokens).toBeGreaterThan(0);
    expect(out.tools).toEqual({ status: 400, code: 'unsupported_parameter', param: 'tools' });
  }, 180_000);
});
