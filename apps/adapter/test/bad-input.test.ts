// Every kind of bad input gets a 4xx with an OpenAI-style error body naming the problem; a
// missed deadline is a 504. This server's turns have a 1 ms deadline, which no turn can meet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess({ args: [...(await testArgs('stt-free')), '--body-limit', '4096', '--turn-timeout-ms', '1'] });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

async function post(path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(server.url + path, { method: 'POST', body, headers });
  const json = (await res.json()) as { error: { message: string; type: string; param: string | null; code: string | null } };
  return { status: res.status, error: json.error };
}
const chat = (body: unknown) => post('/v1/chat/completions', JSON.stringify(body));
const user = [{ role: 'user', content: 'hello there' }];

describe('bad input', () => {
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
    const res = await fetch(`${server.url}/v1/embeddings`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('unknown_url');
    expect(body.error.message).toMatch(/POST \/v1\/embeddings/);
  });
});

describe('deadline', () => {
  it('a turn that misses its deadline is a 504, never an invented reply', async () => {
    const a = await chat({ model: 'gyrosi-baby', messages: user });
    expect(a).toMatchObject({ status: 504, error: { type: 'timeout_error', code: 'deadline_exceeded' } });
    expect(a.error.message).toMatch(/1 ms deadline/);
    const b = await post('/generate', JSON.stringify({ inputs: 'hello there' }));
    expect(b).toMatchObject({ status: 504, error: { code: 'deadline_exceeded' } });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^gyro_turn_outcomes_total\{outcome="deadline"\} 2$/m);
    expect(metrics).toMatch(/^gyro_turn_outcomes_total\{outcome="ok"\} 0$/m);
  });
});
