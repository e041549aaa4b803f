/**
 * An engine worker thread: owns an AgentPool (its agents' private stores live only here), runs
 * turns for the conversations routed to it, one at a time per conversation, and reports text
 * deltas, results and counters to the HTTP thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TurnHost } from './turn-host.js';
import type { FailedFlush, FlushedAgent, FromWorker, ToWorker, WorkerInit } from './protocol.js';

if (!parentPort) throw new Error('engine-worker.ts runs only as a worker thread');
const port = parentPort;
const post = (msg: FromWorker) => port.postMessage(msg);

function main(): void {
  const init = workerData as WorkerInit;
  let host: TurnHost;
  try {
    host = TurnHost.open(init);
  } catch (err) {
    post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  // Turns of one conversation chain one after another; other conversations are not held up
  // by a queue they are not in (the thread itself still runs one turn at a time).
  const chains = new Map<string, Promise<void>>();
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'cancel') {
      host.cancel(msg.id);
      return;
    }
    if (msg.type === 'forget') {
      const next = (chains.get(msg.key) ?? Promise.resolve()).then(() => host.forget(msg.agents));
      chains.set(msg.key, next);
      void next.finally(() => {
        if (chains.get(msg.key) === next) chains.delete(msg.key);
      });
      return;
    }
    if (msg.type === 'turn') {
      const key = msg.request.conversation.key;
      const next = (chains.get(key) ?? Promise.resolve()).then(() => host.run(msg, post));
      chains.set(key, next);
      void next.finally(() => {
        if (chains.get(key) === next) chains.delete(key);
      });
      return;
    }
    if (msg.type === 'close') {
      void Promise.allSettled([...chains.values()]).then(() => {
        let agents: FlushedAgent[] = [];
        let failed: FailedFlush[] = [];
        try {
          ({ agents, failed } = host.close());
        } catch (err) {
          failed = [{ id: '(worker)', message: err instanceof Error ? err.message : String(err) }];
        }
        post({ type: 'closed', agents, failed });
      });
    }
  });
  post({ type: 'ready', agents: host.agentIds() });
}

main();
