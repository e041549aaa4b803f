import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { AgentPool, orchestrateTurn } from '@gyro/intelligence';
import { addEngineOptions, existingStorePath, intFlag, loadEngine, type EngineFlags } from '../lib/engine-setup.js';
import { UsageError } from '../lib/fail.js';

interface ChatFlags extends EngineFlags {
  agents?: string;
  system?: string;
  maxTokens?: string;
  seed?: string;
}

const HELP = "commands: /reset (back to the archetype), /info (assistant state), /explain [K] (candidates of the assistant's state), /help, /quit";

/**
 * `gyro chat`: an interactive session with the user/system/assistant triad of an agent pool
 * (the store is the shared public knowledge, read-only; each agent learns into its private
 * store under --agents). Line editing and history come from node:readline. Ctrl-C or Ctrl-D
 * ends the session after flushing every agent's store.
 */
export function registerChat(program: Command): void {
  addEngineOptions(program.command('chat').description('talk with the assistant agent (user/system/assistant triad over the store)'))
    .option('--agents <dir>', 'folder of the agents\' private stores (default: "agents" beside the store)')
    .option('--system <text>', 'a system message: the system agent answers it once and the assistant learns that answer')
    .option('--max-tokens <n>', 'cap on each reply (default: the stop policy alone)')
    .option('--seed <s>', "seed of the agents' samplers")
    .action(async (flags: ChatFlags) => {
      const maxNewTokens = flags.maxTokens === undefined ? undefined : intFlag('--max-tokens', flags.maxTokens, 0);
      const seed = flags.seed === undefined ? undefined : Number(flags.seed);
      if (seed !== undefined && !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got "${flags.seed}"`);
      // A conversation moves through few bytes: the STT-free engine starts much faster.
      const info = await loadEngine(flags, 'stt-free');
      const storePath = existingStorePath(flags);
      const pool = new AgentPool({
        info,
        publicStorePath: storePath,
        privateRoot: flags.agents ?? join(dirname(storePath), 'agents'),
        seed,
      });
      try {
        pool.ensureTriad();
        if (flags.system) {
          const answer = pool.get('system').respondText(flags.system);
          pool.get('assistant').ingest(answer.bytes);
        }
        await session(pool, maxNewTokens);
      } finally {
        pool.close(); // flushes every agent's private store
      }
    });
}

async function session(pool: AgentPool, maxNewTokens: number | undefined): Promise<void> {
  const tty = Boolean(process.stdin.isTTY);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty, historySize: 1000, prompt: 'you> ' });
  const say = (text: string) => process.stdout.write(`${text}\n`);
  const end = () => rl.close();
  rl.on('SIGINT', end);
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  if (tty) say(`gyro chat — ${HELP}`);
  if (tty) rl.prompt();
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '') {
        if (tty) rl.prompt();
        continue;
      }
      if (line === '/quit' || line === '/exit') break;
      try {
        if (line === '/help') say(HELP);
        else if (line === '/reset') {
          for (const id of ['user', 'system', 'assistant']) pool.get(id).reset();
          say('(agents back at the archetype; knowledge kept)');
        } else if (line === '/info') {
          const i = pool.get('assistant').agentInfo();
          say(
            `assistant: state ${i.stateIndex} (representative ${i.representative}), θ ${i.thetaRadians.toFixed(4)} rad, ${i.cycleCount} bytes absorbed, ${i.storeEntries} entries, ${i.counters.generatedTokens} tokens generated, ${i.counters.fallbacks} fallbacks`,
          );
        } else if (line.startsWith('/explain')) {
          const k = intFlag('/explain', line.slice(8).trim() || undefined, 10);
          const assistant = pool.get('assistant');
          const e = assistant.engine.explain(assistant.engine.stateIndex, k);
          say(`state ${e.stateIndex}, representative ${e.rep}: ${e.candidates.length} shown`);
          for (const c of e.candidates)
            say(
              `  ${assistant.tokenizer.idToToken(c.token)}  score ${c.score.toFixed(4)}  conf ${c.conf.toFixed(4)}  exon ${c.exonProduct}  resonance ${c.resonance.toFixed(4)}`,
            );
        } else if (line.startsWith('/')) {
          say(`unknown command ${line}; ${HELP}`);
        } else {
          const reply = orchestrateTurn(pool, 'user', 'assistant', line, { maxNewTokens });
          say(`assistant> ${reply.text}`);
        }
      } catch (err) {
        say(`gyro: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (tty) rl.prompt();
    }
  } finally {
    process.removeListener('SIGINT', end);
    process.removeListener('SIGTERM', end);
    rl.close();
    if (tty) say('');
  }
}
