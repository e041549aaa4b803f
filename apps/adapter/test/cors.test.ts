// CORS on the real server: preflights from allowed origins, headers on answers and on errors,
// nothing for other origins; `*`; and no CORS at all when no origin is configured.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';

const app = 'http://app.example.com';
const dev = 'http://localhost:5173';
const key = 'cors-test-key-0123456789';
let listed: ServerProcess;
let any: ServerProcess;

beforeAll(async () => {
  const args = await testArgs('stt-free', { workers: 1 });
  [listed, any] = await Promise.all([
    startServerProcess({ args: [...args, '--cors-origin', app, '--cors-origin', dev, '--api-key', key] }),
    startServerProcess({ args: [...args, '--cors-origin', '*'], storeDir: mkdtempSync(join(tmpdir(), 'gyro-cors-any-')) }),
  ]);
}, 300_000);
afterAll(async () => {
  expect(await listed.stop()).toBe(0);
  expect(await any.stop()).toBe(0);
});

const preflight = (url: string, origin: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-stainless-lang' },
  });
const chat = (url: string, origin: string, auth?: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: JSON.stringify({ model: 'gyrosi-baby', max_tokens: 3, messages: [{ role: 'user', content: 'hello' }] }),
  });

describe('CORS (--cors-origin)', () => {
  it('answers a preflight from an allowed origin with its headers, no key needed', async () => {
    for (const origin of [app, dev]) {
      const res = await preflight(listed.url, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(res.headers.get('access-control-max-age')).toBe('600');
      expect(res.headers.get('vary')?.toLowerCase()).toContain('origin');
    }
  });

  it('puts the headers on answers and on a 401, so the browser app can read both', async () => {
    const ok = await chat(listed.url, app, key);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(app);
    const denied = await chat(listed.url, app);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe(app);
  });

  it('gives another origin no CORS headers (its browser refuses)', async () => {
    const res = await preflight(listed.url, 'http://evil.example.com');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect((await chat(listed.url, 'http://evil.example.com', key)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('* allows any origin', async () => {
    const res = await preflight(any.url, 'http://anything.example.org');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const ok = await chat(any.url, 'http://anything.example.org');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
  });
});
