// HTTP the parser refuses (oversized headers, a bad Content-Length, garbage, a bad URL), slow
// or stalled clients, and too many connections: each answered in the OpenAI error shape, or
// refused, by a real server over real sockets. This server listens on every interface without
// a key, so it must also warn about that at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';
import { openConnection, rawRequest, type RawResponse } from './raw-http.js';

let server: ServerProcess;
let port = 0;

beforeAll(async () => {
  server = await startServerProcess({
    args: [...(await testArgs('stt-free')), '--host', '0.0.0.0', '--request-timeout-ms', '1000', '--max-connections', '4'],
  });
  port = Number(new URL(server.url).port);
}, 240_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

const errorOf = (r: RawResponse) => (JSON.parse(r.body) as { error: { message: string; type: string; param: string | null; code: string } }).error;

it('warns at start that it listens on every interface without an API key', () => {
  expect(server.log()).toMatch(/WARNING: listening on 0\.0\.0\.0 without an API key/);
});

it('connections over --max-connections are closed at once and counted; a freed slot serves again', async () => {
  // First in this file: fetch's kept-alive connections would hold slots too.
  const held: Awaited<ReturnType<typeof openConnection>>[] = [];
  try {
    for (let i = 0; i < 4; i++) held.push(await openConnection(port));
    expect(held.map((c) => c.status)).toEqual([200, 200, 200, 200]);
    // Closed on accept, without a response: a reset or an end, depending on who moved first.
    const refused = await openConnection(port);
    expect(refused.status).toBe(0);
    expect(refused.socket.destroyed || refused.socket.readableEnded).toBe(true);
    held.shift()!.socket.destroy();
    // The slot frees once the server has seen that socket close (soon; later on a busy machine).
    let r = await rawRequest(port, 'GET /metrics HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n');
    for (let i = 0; i < 40 && r.status === 0; i++) {
      await new Promise((ok) => setTimeout(ok, 50));
      r = await rawRequest(port, 'GET /metrics HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n');
    }
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^gyro_http_connections_dropped_total [1-9]\d*$/m);
  } finally {
    for (const c of held) c.socket.destroy();
  }
});

describe('protocol errors are OpenAI-shaped', () => {
  it('headers over the limit: 431 request_header_too_large', async () => {
    const r = await rawRequest(port, `GET /v1/models HTTP/1.1\r\nHost: test\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(r.status).toBe(431);
    expect(r.headers).toMatch(/content-type: application\/json/i);
    expect(errorOf(r)).toMatchObject({ type: 'invalid_request_error', code: 'request_header_too_large', param: null });
  });

  it('a Content-Length that is not a number: 400 invalid_content_length', async () => {
    const r = await rawRequest(port, 'POST /v1/chat/completions HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}');
    expect(r.status).toBe(400);
    expect(errorOf(r)).toMatchObject({ type: 'invalid_request_error', code: 'invalid_content_length' });
  });

  it('a request line that is not HTTP: 400 bad_request', async () => {
    const r = await rawRequest(port, 'HELLO THERE\r\n\r\n');
    expect(r.status).toBe(400);
    expect(errorOf(r)).toMatchObject({ type: 'invalid_request_error', code: 'bad_request' });
    expect(errorOf(r).message).toMatch(/malformed HTTP request/);
  });

  it('a URL that does not decode: 400 invalid_url', async () => {
    const r = await rawRequest(port, 'GET /v1/models/%zz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n');
    expect(r.status).toBe(400);
    expect(errorOf(r)).toMatchObject({ type: 'invalid_request_error', code: 'invalid_url' });
  });
});

describe('slow clients time out (requestTimeoutMs 1000)', () => {
  it('a body that trickles one byte every 200 ms: 408 request_timeout', async () => {
    const r = await rawRequest(port, 'POST /v1/chat/completions HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{', {
      trickle: true,
    });
    expect(r.status).toBe(408);
    expect(errorOf(r)).toMatchObject({ type: 'invalid_request_error', code: 'request_timeout' });
    // The limit holds however busy the client keeps the socket (checked every second).
    expect(r.ms).toBeGreaterThanOrEqual(900);
  }, 30_000);

  it('headers that stop half-way, and a connection that sends nothing: 408', async () => {
    const [half, silent] = await Promise.all([rawRequest(port, 'POST /v1/chat/completions HTTP/1.1\r\nHost: te'), rawRequest(port, '')]);
    expect(half.status).toBe(408);
    expect(silent.status).toBe(408);
    expect(errorOf(silent).code).toBe('request_timeout');
  }, 30_000);
});

it('protocol errors are counted in /metrics (route "protocol")', async () => {
  const r = await rawRequest(port, 'GET /metrics HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n');
  expect(r.body).toMatch(/^gyro_http_requests_total\{route="protocol",method="",status="408"\} 3$/m);
  expect(r.body).toMatch(/^gyro_http_requests_total\{route="protocol",method="",status="431"\} 1$/m);
  expect(r.body).toMatch(/^gyro_http_requests_total\{route="protocol",method="",status="400"\} 2$/m);
});
