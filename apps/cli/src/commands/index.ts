import type { Command } from 'commander';
import { registerAssets } from './assets.js';
import { registerTape } from './tape.js';
import { registerStore } from './store.js';
import { registerIngest } from './ingest.js';
import { registerExplain } from './explain.js';
import { registerGenerate } from './generate.js';
import { registerChat } from './chat.js';
import { registerServe } from './serve.js';
import { registerCorpus } from './corpus.js';
import { registerEval } from './eval.js';

/** Every command family, in the order `gyro --help` lists them. Each file owns one family. */
export const commands: Array<(program: Command) => void> = [
  registerAssets,
  registerTape,
  registerStore,
  registerIngest,
  registerCorpus,
  registerExplain,
  registerEval,
  registerGenerate,
  registerChat,
  registerServe,
];
