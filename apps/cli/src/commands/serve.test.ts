import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetsDir, gyro, gyroProcess, learnLicences, tempDir } from '../lib/engine-test-support.js';

const tmp = tempDir('gyro-cli-serve-');
const store = join(tmp.dir, 'knowledge.bin');
let assets = '';

beforeAll(async () => {
  assets = await assetsDir();
  learnLicences(assets, store);
});
afterAll(() => tmp.cleanup());

describe('gyro serve', () => {
  it('documents its options', () => {
    const r = gyro(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--host', '--port', '--assets', '--store', '--agents', '--preferences', '--workers', '--turn-timeout-ms']) expect(r.stdout).toContain(flag);
  });

  it('refuses a bad setting in one line', () => {
    const r = gyro(['serve', '--port', 'eighty']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('gyro: option --port must be an integer in [0, 65535], got "eighty"');
  });

  it('serves the store until SIGTERM, then flushes the agents and exits 0', async () => {
    const agents = join(tmp.dir, 'agents');
    const p = gyroProcess(['serve', '--host', '127.0.0.1', '--port', '0', '--assets', assets, '--store', store, '--agents', agents, '--workers', '1', '--log-level', 'silent']);
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      p.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      p.once('exit', (code) => reject(new Error(`gyro serve exited with ${code}: ${stderr}`)));
    });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gyrosi-baby', max_tokens: 8, messages: [{ role: 'user', content: 'may i copy the software?' }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }>; usage: { completion_tokens: number } };
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
    const exit = new Promise<number | null>((resolve) => p.once('exit', resolve));
    p.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toMatch(/gyro serve: stopped, 3 agent store\(s\) flushed/);
  }, 120_000);
});
