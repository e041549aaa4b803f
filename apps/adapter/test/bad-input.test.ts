// Every kind of bad input gets a 4xx with an OpenAI-style error body naming the problem, and
// never reaches the engine. The HTTP layer runs in this process (buildApp over a small real
// TurnRunner, fastify's inject()): validation is decided before any engine runs. The same
// refusals over real sockets of the real server: protocol.test.ts (malformed JSON, an oversized
// prompt); a missed deadline (the worker pool's 504): deadline.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectApp, type InjectedApp } from './inject-app.js';

let server: InjectedApp;

beforeAll(async () => {
  server = await injectApp(['--body-limit', '4096']);
});
afterAll(async () => {
  await server.close();
});

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

async function post(url: string, payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await server.app.inject({ method: 'POST', url, payload, headers });
  const json = res.json<ErrorBody>();
  // The OpenAI error shape, all four fields present, and nothing else.
  expect(Object.keys(json)).toEqual(['error']);
  expect(Object.keys(json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  return { status: res.statusCode, error: json.error };
}
const chat = (body: unknown) => post('/v1/chat/completions', JSON.stringify(body));
const user = [{ role: 'user', content: 'hello there' }];

describe('bad input', () => {
  it('a valid request reaches the engine (the control for every refusal below)', async () => {
    const before = server.runner.turns.length;
    const res = await server.app.inject({ method: 'POST', url: '/v1/chat/completions', payload: { model: 'gyrosi-baby', messages: user } });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ choices: Array<{ message: { content: string } }> }>().choices[0]!.message.content).toBe('hello there');
    const gen = await server.app.inject({ method: 'POST', url: '/generate', payload: { inputs: 'hello there' } });
    expect(gen.statusCode).toBe(200);
    expect(gen.json<{ generated_text: string }>().generated_text).toBe('hello there');
    expect(server.runner.turns.length - before).toBe(2);
  });

  it('invalid JSON is a 400 invalid_json', async () => {
    const r = await post('/v1/chat/completions', '{"model": "gyrosi-baby", "messages": [');
    expect(r.status).toBe(400);
    expect(r.error.type).toBe('invalid_request_error');
    expect(r.error.code).toBe('invalid_json');
    expect(r.error.message).toMatch(/not valid JSON/);
  });

  it('an empty body is a 400', async () => {
    const r = await post('/v1/chat/completions', '');
    expect(r.status).toBe(400);
    expect(r.error.code).toBe('invalid_json');
  });

  it('missing messages names the parameter', async () => {
    const r = await chat({ model: 'gyrosi-baby' });
    expect(r).toMatchObject({ status: 400, error: { param: 'messages', code: 'missing_required_parameter' } });
    expect(r.error.message).toBe('messages is required');
  });

  it('empty messages is refused', async () => {
    const r = await chat({ model: 'gyrosi-baby', messages: [] });
    expect(r).toMatchObject({ status: 400, error: { param: 'messages', code: 'empty_array' } });
  });

  it('wrong types are refused, not coerced', async () => {
    const a = await chat({ model: 'gyrosi-baby', messages: user, max_tokens: '5' });
    expect(a).toMatchObject({ status: 400, error: { param: 'max_tokens' } });
    const b = await chat({ model: 'gyrosi-baby', messages: 'hello' });
    expect(b).toMatchObject({ status: 400, error: { param: 'messages', code: 'invalid_type' } });
    const c = await chat({ model: 'gyrosi-baby', messages: [{ role: 'user', content: 42 }] });
    expect(c).toMatchObject({ status: 400, error: { param: 'messages[0].content' } });
    const d = await chat({ model: 'gyrosi-baby', messages: user, stream: 'yes' });
    expect(d).toMatchObject({ status: 400, error: { param: 'stream' } });
    const e = await chat({ model: 'gyrosi-baby', messages: [{ role: 'wizard', content: 'hi' }] });
    expect(e).toMatchObject({ status: 400, error: { param: 'messages[0].role' } });
    expect(e.error.message).toMatch(/"user"/);
  });

  it('a conversation without a user message, or an empty one, is refused', async () => {
    const a = await chat({ model: 'gyrosi-baby', messages: [{ role: 'system', content: 'be brief' }] });
    expect(a).toMatchObject({ status: 400, error: { param: 'messages', code: 'missing_user_message' } });
    const b = await chat({ model: 'gyrosi-baby', messages: [{ role: 'user', content: '   ' }] });
    expect(b).toMatchObject({ status: 400, error: { param: 'messages[0].content', code: 'empty_content' } });
    const c = await post('/generate', JSON.stringify({ inputs: '' }));
    expect(c).toMatchObject({ status: 400, error: { param: 'inputs' } });
    const d = await post('/generate', JSON.stringify({ text: 'hi' }));
    expect(d).toMatchObject({ status: 400, error: { param: 'inputs', code: 'missing_required_parameter' } });
  });

  it('an unknown model is a 404 model_not_found', async () => {
    const r = await chat({ model: 'gpt-4o', messages: user });
    expect(r).toMatchObject({ status: 404, error: { param: 'model', code: 'model_not_found' } });
    expect(r.error.message).toMatch(/gyrosi-baby/);
  });

  it('a body over the limit is a 413', async () => {
    const r = await chat({ model: 'gyrosi-baby', messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    expect(r.status).toBe(413);
    expect(r.error.code).toBe('request_too_large');
    expect(r.error.message).toMatch(/4096 bytes/);
  });

  it('a body that is not JSON is a 415', async () => {
    const r = await post('/v1/chat/completions', 'hello', { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.error.code).toBe('unsupported_media_type');
  });

  it('unknown routes are a 404 naming the route', async () => {
    const r = await post('/v1/embeddings', '{}');
    expect(r.status).toBe(404);
    expect(r.error.code).toBe('unknown_url');
    expect(r.error.message).toMatch(/POST \/v1\/embeddings/);
  });

  it('no refused request reached the engine, and each is counted by its status', async () => {
    // Only the control's two turns ran (it comes first: vitest runs a file's tests in order).
    expect(server.runner.turns.map((t) => t.userText)).toEqual(['hello there', 'hello there']);
    const metrics = (await server.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^gyro_http_requests_total\{route="\/v1\/chat\/completions",method="POST",status="400"\} 11$/m);
  });
});

describe('--max-prompt-bytes 2000', () => {
  it('prompts over the limit are a 413 request_too_large, in chat and /generate; a short one runs', async () => {
    const small = await injectApp(['--max-prompt-bytes', '2000']);
    try {
      const big = 'word '.repeat(500); // 2,500 bytes, under the 1 MiB body limit
      const send = async (url: string, payload: Record<string, unknown>) => {
        const res = await small.app.inject({ method: 'POST', url, payload });
        return { status: res.statusCode, body: res.json<ErrorBody>() };
      };
      const a = await send('/v1/chat/completions', { model: 'gyrosi-baby', messages: [{ role: 'user', content: big }] });
      expect(a).toMatchObject({ status: 413, body: { error: { type: 'invalid_request_error', code: 'request_too_large', param: 'messages[0].content' } } });
      const b = await send('/generate', { inputs: big });
      expect(b.status).toBe(413);
      expect(b.body.error.message).toMatch(/2500 bytes, over the limit of 2000 bytes/);
      expect(small.runner.turns).toHaveLength(0);
      const ok = await send('/v1/chat/completions', { model: 'gyrosi-baby', messages: [{ role: 'user', content: 'word '.repeat(10) }] });
      expect(ok.status).toBe(200);
      expect(small.runner.turns).toHaveLength(1);
    } finally {
      await small.close();
    }
  });
});
