// The adapter's HTTP layer in this process, without a port or engine workers: buildApp over a
// small real TurnRunner, for tests of what is decided before any engine runs (routes, schemas,
// validation, error shapes), driven with fastify's inject(). Needs no meta-assets and no build.
// What needs the real server (sockets, the worker pool, deadlines, start-up) runs it as a child
// process instead (server-process.ts).
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import type { ServerContext, TurnRunner } from '../src/context.js';
import { AdapterMetrics } from '../src/metrics/adapter-metrics.js';
import { buildApp } from '../src/server.js';
import type { TurnRequest, TurnResult, WireLogprob } from '../src/worker/protocol.js';

/**
 * A TurnRunner that answers each turn with the words of its user text, up to maxNewTokens of
 * them (a word counts as a token), streaming one delta per word. Deterministic, so a test can
 * assert the exact reply; it keeps every request it ran, so a test can assert that a refused
 * request never reached the engine.
 */
export class EchoRunner implements TurnRunner {
  readonly ready = true;
  readonly size = 1;
  readonly turns: TurnRequest[] = [];

  async runTurn(request: TurnRequest, onDelta?: (text: string, logprobs?: WireLogprob[]) => void): Promise<TurnResult> {
    this.turns.push(request);
    const words = request.userText.trim().split(/\s+/);
    const reply = words.slice(0, request.maxNewTokens ?? words.length);
    for (const [i, w] of reply.entries()) onDelta?.(i === 0 ? w : ` ${w}`);
    const cut = reply.length < words.length;
    return {
      text: reply.join(' '),
      promptTokens: words.length,
      completionTokens: reply.length,
      finishReason: cut ? 'length' : 'stop',
      stopReason: cut ? 'max-tokens' : 'sep',
    };
  }

  crashWorker(): boolean {
    return false; // no worker threads here
  }
}

export interface InjectedApp {
  app: FastifyInstance;
  runner: EchoRunner;
  close(): Promise<void>;
}

/** buildApp with the settings `argv` names (as `gyro serve` flags; the environment is ignored) over an EchoRunner; ready for inject(). */
export async function injectApp(argv: string[] = []): Promise<InjectedApp> {
  const runner = new EchoRunner();
  const ctx: ServerContext = {
    config: loadConfig({ argv: ['--log-level', 'silent', ...argv], env: {} }),
    metrics: new AdapterMetrics(() => undefined),
    engine: () => runner,
    draining: false,
    startedAt: Date.now(),
  };
  const app = buildApp(ctx);
  await app.ready();
  return { app, runner, close: () => app.close() };
}
