import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { GyroSI } from '@gyro/intelligence';
import { addressingOf, OrbitStore, OverlayView, type PhenotypeStore } from '@gyro/store';
import { addEngineOptions, existingStorePath, intFlag, loadEngine, type EngineFlags } from '../lib/engine-setup.js';
import { UsageError } from '../lib/fail.js';

interface GenerateFlags extends EngineFlags {
  prompt?: string;
  budgetMs?: string;
  maxTokens?: string;
  seed?: string;
  json?: boolean;
  learn?: boolean;
}

/**
 * The store the agent works in. With --learn, the store itself. Without, the store read-only
 * under a scratch private layer in a temporary folder (removed at the end): the reply is the one
 * --learn would give (the agent still learns the prompt and each token it says as it goes), and
 * the store's file is left byte for byte as it was.
 */
function workingStore(path: string, learn: boolean): { store: PhenotypeStore; owned: PhenotypeStore[]; cleanup: () => void } {
  if (learn) {
    const store = OrbitStore.open(path);
    return { store, owned: [store], cleanup: () => {} };
  }
  const shared = OrbitStore.open(path, { readOnly: true });
  const dir = mkdtempSync(join(tmpdir(), 'gyro-generate-'));
  const scratch = OrbitStore.open(join(dir, 'scratch.bin'), { addressing: addressingOf(shared) });
  return {
    store: new OverlayView(shared, scratch),
    owned: [scratch],
    cleanup: () => {
      shared.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `gyro generate --prompt TEXT`: one agent on the store ingests the prompt and replies under
 * the stop policy. It reads the store: what it learns on the way (the prompt, its own reply)
 * is kept only with --learn.
 */
export function registerGenerate(program: Command): void {
  addEngineOptions(
    program
      .command('generate')
      .description('reply to a prompt from the store; the store is left unchanged unless --learn (then the agent learns the prompt and its reply into it)')
      .requiredOption('--prompt <text>', 'the prompt'),
  )
    .option('--max-tokens <n>', 'stop after this many tokens (default: the stop policy alone)')
    .option('--seed <s>', 'seed of the sampler (a seeded run is reproducible on the same store while no scan meets the time budget)')
    .option('--budget-ms <ms>', 'time budget of one candidate scan, in ms', '20')
    .option('--learn', 'keep what the agent learns (the prompt and its reply) in the store; without it the store is read only and left byte-identical')
    .option('--json', 'print {"text","tokens","stopReason",…, "budgetCutoffs",…} instead of the text')
    .action(async (flags: GenerateFlags) => {
      const maxNewTokens = flags.maxTokens === undefined ? undefined : intFlag('--max-tokens', flags.maxTokens, 0);
      let seed: number | undefined;
      if (flags.seed !== undefined) {
        seed = Number(flags.seed);
        if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got "${flags.seed}"`);
      }
      const path = existingStorePath(flags); // before loading anything: a typo fails at once
      // One reply needs few transitions: the STT-free engine starts without reading the 800 MB table.
      const info = await loadEngine({ ...flags, quiet: flags.quiet ?? flags.json }, 'stt-free');
      const scanBudgetMs = intFlag('--budget-ms', flags.budgetMs, 20);
      const work = workingStore(path, flags.learn === true);
      const agent = new GyroSI(info, work.store, { agentId: 'cli', ownedStores: work.owned, preferences: { scanBudgetMs }, seed });
      try {
        const reply = agent.respondText(flags.prompt!, { maxNewTokens });
        if (flags.json) {
          const { bytes: _bytes, ...rest } = reply;
          const { cacheHits, cacheMisses, budgetCutoffs, fallbacks } = agent.engine.counters;
          process.stdout.write(`${JSON.stringify({ ...rest, cacheHits, cacheMisses, budgetCutoffs, fallbacks })}\n`);
        } else {
          process.stdout.write(`${reply.text}\n`);
        }
      } finally {
        try {
          agent.close();
        } finally {
          work.cleanup();
        }
      }
    });
}
