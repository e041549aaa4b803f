// API keys on a real server: every route but /health and /ready needs `Authorization: Bearer
// KEY` (keys from a repeated --api-key and from --api-key-file); a missing, malformed or wrong
// key is a 401 in the OpenAI shape, which the official client reports as an AuthenticationError.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';

let server: ServerProcess;
const keyFile = join(mkdtempSync(join(tmpdir(), 'gyro-keys-')), 'keys.txt');

beforeAll(async () => {
  writeFileSync(keyFile, '# one key per line\nfile-key-3\n');
  // Every interface, with keys: no warning this time.
  server = await startServerProcess({
    args: [...(await testArgs('stt-free')), '--host', '0.0.0.0', '--api-key', 'key-one', '--api-key', 'key-two', '--api-key-file', keyFile],
  });
}, 240_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

const chatBody = JSON.stringify({ model: 'gyrosi-baby', max_tokens: 4, messages: [{ role: 'user', content: 'hello there' }] });
const call = (path: string, authorization?: string, method = 'GET') =>
  fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    ...(method === 'POST' ? { body: chatBody } : {}),
  });

describe('with --api-key', () => {
  it('says at start that keys are required, and does not warn about the open address', () => {
    expect(server.log()).toMatch(/3 API key\(s\) required/);
    expect(server.log()).not.toMatch(/WARNING/);
    expect(server.log()).not.toMatch(/key-one|key-two|file-key-3/);
  });

  it('answers /health and /ready without a key', async () => {
    expect((await call('/health')).status).toBe(200);
    expect((await call('/ready')).status).toBe(200);
  });

  it('refuses every other route without a valid key: 401 invalid_api_key, OpenAI-shaped', async () => {
    const cases: Array<[string, string | undefined, string]> = [
      ['/v1/models', undefined, 'GET'],
      ['/v1/chat/completions', undefined, 'POST'],
      ['/v1/chat/completions', 'Bearer key-three', 'POST'],
      ['/v1/chat/completions', 'Bearer key-on', 'POST'],
      ['/v1/chat/completions', 'key-one', 'POST'],
      ['/v1/chat/completions', 'Basic a2V5LW9uZQ==', 'POST'],
      ['/generate', 'Bearer ', 'POST'],
      ['/metrics', undefined, 'GET'],
      ['/no/such/route', undefined, 'GET'],
    ];
    for (const [path, auth, method] of cases) {
      const res = await call(path, auth, method);
      expect(res.status, `${method} ${path} ${auth}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as { error: Record<string, unknown> };
      expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key', param: null });
      expect(body.error.message).toEqual(expect.any(String));
    }
  });

  it('serves each configured key (flags and file), in any case of "Bearer"', async () => {
    for (const auth of ['Bearer key-one', 'Bearer key-two', 'bearer file-key-3']) {
      const res = await call('/v1/chat/completions', auth, 'POST');
      expect(res.status, auth).toBe(200);
      expect(((await res.json()) as { object: string }).object).toBe('chat.completion');
    }
    expect((await call('/metrics', 'Bearer key-two')).status).toBe(200);
  });

  it('works with the official client given the key, and fails with AuthenticationError without it', async () => {
    const good = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'key-two', maxRetries: 0 });
    const r = await good.chat.completions.create({ model: 'gyrosi-baby', max_tokens: 4, messages: [{ role: 'user', content: 'hello' }] });
    expect(r.choices[0]!.message.role).toBe('assistant');
    const bad = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'nope', maxRetries: 0 });
    const err = await bad.models.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
  });

  it('counts refused requests in /metrics', async () => {
    const text = await (await call('/metrics', 'Bearer key-one')).text();
    expect(text).toMatch(/^gyro_http_requests_total\{route="\/v1\/chat\/completions",method="POST",status="401"\} [1-9]/m);
  });
});
