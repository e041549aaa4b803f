import type { Command } from 'commander';
import { GyroSI } from '@gyro/intelligence';
import { OrbitStore } from '@gyro/store';
import { addEngineOptions, intFlag, loadEngine, storePathOf, type EngineFlags } from '../lib/engine-setup.js';
import { UsageError } from '../lib/fail.js';

interface GenerateFlags extends EngineFlags {
  prompt?: string;
  budgetMs?: string;
  maxTokens?: string;
  seed?: string;
  json?: boolean;
}

/**
 * `gyro generate --prompt TEXT`: one agent on the store ingests the prompt and replies under
 * the stop policy of SPEC §6.4. Like every agent it learns the prompt and its own reply.
 */
export function registerGenerate(program: Command): void {
  addEngineOptions(
    program
      .command('generate')
      .description('reply to a prompt (the agent learns the prompt and its reply into the store)')
      .requiredOption('--prompt <text>', 'the prompt'),
  )
    .option('--max-tokens <n>', 'stop after this many tokens (default: the stop policy alone)')
    .option('--seed <s>', 'seed of the sampler (a seeded run is reproducible on the same store while no scan meets the time budget)')
    .option('--budget-ms <ms>', 'time budget of one candidate scan, in ms', '20')
    .option('--json', 'print {"text","tokens","stopReason",…, "budgetCutoffs",…} instead of the text')
    .action(async (flags: GenerateFlags) => {
      const maxNewTokens = flags.maxTokens === undefined ? undefined : intFlag('--max-tokens', flags.maxTokens, 0);
      let seed: number | undefined;
      if (flags.seed !== undefined) {
        seed = Number(flags.seed);
        if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got "${flags.seed}"`);
      }
      // One reply needs few transitions: the STT-free engine starts without reading the 800 MB table.
      const info = await loadEngine({ ...flags, quiet: flags.quiet ?? flags.json }, 'stt-free');
      const scanBudgetMs = intFlag('--budget-ms', flags.budgetMs, 20);
      const agent = new GyroSI(info, OrbitStore.open(storePathOf(flags)), { agentId: 'cli', preferences: { scanBudgetMs }, ...(seed === undefined ? {} : { seed }) });
      try {
        const reply = agent.respondText(flags.prompt!, maxNewTokens === undefined ? {} : { maxNewTokens });
        if (flags.json) {
          const { bytes: _bytes, ...rest } = reply;
          const { cacheHits, cacheMisses, budgetCutoffs, fallbacks } = agent.engine.counters;
          process.stdout.write(`${JSON.stringify({ ...rest, cacheHits, cacheMisses, budgetCutoffs, fallbacks })}\n`);
        } else {
          process.stdout.write(`${reply.text}\n`);
        }
      } finally {
        agent.close();
      }
    });
}
