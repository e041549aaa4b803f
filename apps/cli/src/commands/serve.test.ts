import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PREFERENCES_OPTION, SETTINGS } from '@gyro/adapter/config';
import { readAddressing } from '@gyro/store';
import { serveArgs } from '@gyro/tooling/serve-args';
import { cliSuite, gyroProcess, runGyro, serveUntilListening as untilListening } from '../../test/fixture.js';

const fx = cliSuite('gyro-cli-serve-', { licences: 'knowledge.bin' });
const store = fx.store;

describe('gyro serve', () => {
  it('takes every adapter setting as a flag, with its environment variable and default in --help', async () => {
    const r = await runGyro(['serve', '--help']);
    expect(r.code).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' '); // commander wraps long lines
    for (const s of [...SETTINGS, PREFERENCES_OPTION]) {
      expect(help).toContain(`${s.flag} <${s.arg}>`);
      expect(help).toContain(`env ${s.env})`);
    }
    expect(help).toContain('(default 8000; env GYRO_PORT)');
    expect(help).toContain('(default gyrosi-baby; env GYRO_MODEL_ID)');
  });

  it('starts with the settings the CLI once lacked (--model-id x --max-agents 10 …, a repeated --api-key) and applies them', async () => {
    const server = await untilListening([
      'serve',
      ...['--model-id', 'x', '--api-key', 'cli-key-1', '--api-key', 'cli-key-2', '--max-agents', '10', '--eviction', 'lfu', '--max-tokens', '3'],
      ...serveArgs({ port: 0, assets: fx.assets, store, agents: fx.path('x-agents'), workers: 1, workerNice: 0, logLevel: 'silent' }),
    ]);
    try {
      expect(server.stderr).toContain('(model x, 2 API key(s) required)');
      expect((await fetch(`${server.url}/v1/models`)).status).toBe(401);
      const models = (await (await fetch(`${server.url}/v1/models`, { headers: { authorization: 'Bearer cli-key-1' } })).json()) as {
        data: Array<{ id: string }>;
      };
      expect(models.data.map((m) => m.id)).toEqual(['x']);
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer cli-key-2' },
        body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'may i copy the software?' }] }),
      });
      expect(res.status).toBe(200);
      // --max-tokens 3 is the default length of a reply that names none.
      expect(((await res.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBeLessThanOrEqual(3);
      expect(server.stdout).toContain(`curl -s ${server.url}/v1/chat/completions`);
      expect(server.stdout).toContain('"model":"x"');
      // The try-it lines name a placeholder for the key, never a key.
      expect(server.stdout).toContain("-H 'authorization: Bearer YOUR_API_KEY'");
      expect(server.stdout + server.stderr).not.toContain('cli-key-');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 120_000);

  it('refuses a setting value out of range with the flag named', async () => {
    const r = await runGyro(['serve', '--max-agents', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('gyro: option --max-agents must be an integer in [3, 1000000], got "1"');
  });

  it('refuses a bad setting in one line', async () => {
    const r = await runGyro(['serve', '--port', 'eighty']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('gyro: option --port must be an integer in [0, 65535], got "eighty"');
  });

  it('says so in one line when the port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const p = gyroProcess(['serve', ...serveArgs({ port, assets: fx.assets, store, agents: fx.path('busy-agents'), workers: 1, logLevel: 'silent' })]);
        let stderr = '';
        p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        p.once('exit', (code) => resolve({ code, stderr }));
      });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n').at(-1)).toBe(
        `gyro: port ${port} on 127.0.0.1 is already in use (stop the other server, or pick another port: --port ${port + 1}, or --port 0 for any free one)`,
      );
    } finally {
      blocker.close();
    }
  }, 120_000);

  it('first run learns the starter corpus into an empty store and prints how to call it; a second run does not relearn', async () => {
    const fresh = fx.path('fresh', 'knowledge.bin');
    const args = ['serve', ...serveArgs({ port: 0, assets: fx.assets, store: fresh, workers: 1, logLevel: 'silent' }), '--create', '--starter-limit', '200'];
    const first = await untilListening(args);
    expect(first.stderr).toContain(`the knowledge store ${fresh} is empty; learning the starter corpus (WordNet 3.1 glosses, state addressing;`);
    expect(first.stderr).toMatch(/learning WordNet glosses: 200 glosses/);
    expect(first.stdout).toContain(`curl -s ${first.url}/v1/chat/completions`);
    expect(first.stdout).toContain(`new OpenAI({ baseURL: '${first.url}/v1'`);
    const res = await fetch(`${first.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gyrosi-baby', max_tokens: 6, messages: [{ role: 'user', content: 'what is a dog?' }] }),
    });
    expect(res.status).toBe(200);
    expect(await first.stop()).toBe(0);
    const learned = statSync(fresh).size;
    expect(learned).toBeGreaterThan(0);

    const second = await untilListening(args);
    expect(second.stderr).not.toContain('learning');
    expect(await second.stop()).toBe(0);
    expect(statSync(fresh).size).toBe(learned);
    expect(readAddressing(fresh)).toBe('state'); // the starter default: it measures better (intelligence README)

    // A store of the other addressing is refused before anything starts, in one line.
    const refused = await runGyro(['serve', ...serveArgs({ port: 0, assets: fx.assets, store: fresh, logLevel: 'silent' }), '--addressing', 'canonical']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n').at(-1)).toMatch(/^gyro: store .*knowledge\.bin is keyed by state addressing, not canonical/);
  }, 120_000);

  it('serves the store until SIGTERM, then flushes the agents and exits 0', async () => {
    const agents = fx.path('agents');
    const server = await untilListening([
      'serve',
      ...serveArgs({ host: '127.0.0.1', port: 0, assets: fx.assets, store, agents, workers: 1, logLevel: 'silent' }),
    ]);
    const { url } = server;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gyrosi-baby', max_tokens: 8, messages: [{ role: 'user', content: 'may i copy the software?' }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }>; usage: { completion_tokens: number } };
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
    expect(await server.stop()).toBe(0);
    expect(server.stderr).toMatch(/gyro serve: stopped, 3 agent store\(s\) flushed/);
    // The server relaunched itself with glibc's huge-page tunable (STT mode loads 10-15× faster).
    if (process.platform === 'linux') expect(server.stderr).toMatch(/huge pages on\)/);
  }, 120_000);
});

/** Start `gyro ARGS` and resolve once it listens, with its output so far and a stopper. */
