import { KeyIndex, applyRecordWords, forEachOfState } from '@gyro/store/internals';

/**
 * One record per live key of `index`, state by state and each state's keys in list order: a
 * replay appends each key at its state's tail, so it rebuilds exactly this index, order included
 * (the same layout as OrbitStore's compaction). Returned as the log's uint32 words.
 */
export function liveRecordWords(index: KeyIndex): Uint32Array {
  const words = new Uint32Array(index.live * 3);
  let at = 0;
  for (const state of index.allStates())
    forEachOfState(index.buckets, index.headOf(state), (token, packed) => {
      words[at] = state;
      words[at + 1] = token;
      words[at + 2] = ((packed >>> 16) | ((packed & 0xffff) << 8)) >>> 0; // mask, conf bits, pad 0 (live)
      at += 3;
    });
  if (at !== words.length) throw new Error(`listed ${at / 3} live keys, the index counts ${index.live}`);
  return words;
}

/**
 * Why the records in `words` do not replay to exactly the entries of `index` (same keys, values
 * and per-state order), or undefined: checked before a compacted log replaces the old one.
 */
export function replayMismatch(words: Uint32Array, index: KeyIndex): string | undefined {
  const n = words.length / 3;
  const replayed = new KeyIndex(n);
  if (applyRecordWords(words, n, replayed, false) < 0) return 'a compacted record has an unknown pad byte';
  if (replayed.live !== index.live) return `the compacted log holds ${replayed.live} keys, the index ${index.live}`;
  let a: Uint32Array = new Uint32Array(64);
  let b: Uint32Array = new Uint32Array(64);
  for (const state of index.allStates()) {
    const mine = index.tokensOf(state, a);
    const theirs = replayed.tokensOf(state, b);
    a = mine.out;
    b = theirs.out;
    if (mine.count !== theirs.count) return `state ${state}: ${theirs.count} keys replayed, ${mine.count} held`;
    for (let k = 0; k < mine.count; k++) {
      const token = a[k]!;
      if (b[k] !== token || replayed.getPacked(state, token) !== index.getPacked(state, token)) return `state ${state}, token ${token} differs after replay`;
    }
  }
  return undefined;
}

/** Bytes of the log's records, as sent to Redis. */
export function recordBytes(words: Uint32Array): Buffer {
  return Buffer.from(words.buffer, words.byteOffset, words.length * 4);
}
