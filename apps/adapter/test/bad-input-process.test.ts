// The real server (node dist/cli.js, its flags, its worker pool) over real sockets: a malformed
// body and a body over --body-limit are refused end to end in the OpenAI error shape (every
// other refusal: bad-input.test.ts, in process), and a turn that misses its deadline is a 504.
// This server's turns have a 1 ms deadline, which no turn can meet.
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

async function post(path: string, body: string) {
  const res = await fetch(server.url + path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const json = (await res.json()) as { error: { message: string; type: string; param: string | null; code: string | null } };
  return { status: res.status, error: json.error };
}
const chat = (body: unknown) => post('/v1/chat/completions', JSON.stringify(body));
const user = [{ role: 'user', content: 'hello there' }];

describe('bad input, end to end', () => {
  it('invalid JSON is a 400 invalid_json', async () => {
    const r = await post('/v1/chat/completions', '{"model": "gyrosi-baby", "messages": [');
    expect(r).toMatchObject({ status: 400, error: { type: 'invalid_request_error', code: 'invalid_json', param: null } });
    expect(r.error.message).toMatch(/not valid JSON/);
  });

  it('a body over --body-limit is a 413', async () => {
    const r = await chat({ model: 'gyrosi-baby', messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    expect(r).toMatchObject({ status: 413, error: { type: 'invalid_request_error', code: 'request_too_large' } });
    expect(r.error.message).toMatch(/4096 bytes/);
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
