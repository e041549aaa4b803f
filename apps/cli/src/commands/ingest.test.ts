import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OrbitStore } from '@gyro/store';
import { goldenJson, goldenPath, goldenText } from '@gyro/tooling/golden';
import { writeTape } from '@gyro/tokenizer';
import { cliSuite, runGyro } from '../../test/fixture.js';

const learn = goldenJson('licenses_learn.json') as { tokens: number; bytes: number; final_state_index: number; records: number };
const fx = cliSuite('gyro-cli-ingest-');

function lastJson(stdout: string) {
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('gyro ingest', () => {
  it('learns a text file (one document per line) exactly as the golden stream, --json ends with the summary', async () => {
    const docs = fx.path('licenses.txt');
    copyFileSync(goldenPath('licenses_docs.txt'), docs);
    const store = fx.path('text.bin');
    const r = await runGyro(['ingest', docs, '--assets', fx.assets, '--store', store, '--json']);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(Object.keys(s)).toEqual(['tokens', 'bytes', 'learned', 'malformed', 'finalStateIndex', 'addressing', 'seconds', 'tokensPerSecond']);
    expect(s.addressing).toBe('canonical');
    expect(s).toMatchObject({ tokens: learn.tokens, bytes: learn.bytes, learned: learn.tokens - 382, malformed: 0, finalStateIndex: learn.final_state_index });
    const o = OrbitStore.open(store, { readOnly: true });
    expect(o.size).toBe(learn.records);
    o.close();
  });

  it('learns .gyro tapes in order as one stream; a tape cut mid-token counts one malformed token', async () => {
    const lines = goldenText('licenses_docs.txt')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const a = fx.path('a.gyro');
    const b = fx.path('b.gyro');
    writeTape(a, lines.slice(0, 100));
    writeTape(b, lines.slice(100));
    const r = await runGyro(['ingest', a, b, '--assets', fx.assets, '--store', fx.path('tape.bin'), '--json']);
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ tokens: learn.tokens, finalStateIndex: learn.final_state_index, malformed: 0 });

    const cut = fx.path('cut.gyro');
    const bytes = readFileSync(a);
    let end = bytes.length - 1;
    while (((bytes[end - 1]! ^ 0xaa) & 0x80) === 0) end--; // stop inside a multi-byte token
    writeFileSync(cut, bytes.subarray(0, end));
    const c = await runGyro(['ingest', cut, '--assets', fx.assets, '--store', fx.path('cut.bin'), '--json', '--quiet']);
    expect(c.code).toBe(0);
    expect(lastJson(c.stdout).malformed).toBe(1);
  });

  it('a missing file is one readable error line and exit 1, before anything is learned', async () => {
    const r = await runGyro(['ingest', fx.path('nope.txt'), '--assets', fx.assets, '--store', fx.path('never.bin')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^gyro: .*nope\.txt is not a readable file$/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('creates a missing store only in an existing folder, or with --create (folders too)', async () => {
    const text = fx.path('small.txt');
    writeFileSync(text, 'the licence grants permission to copy\n');
    const deep = fx.path('no', 'such', 'dir', 'k.bin');
    const refused = await runGyro(['ingest', text, '--assets', fx.assets, '--store', deep, '-q']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `gyro: the folder ${fx.path('no', 'such', 'dir')} of the store ${deep} does not exist (check --store, create the folder, or pass --create)`,
    );
    expect(existsSync(fx.path('no'))).toBe(false);
    const inFolder = fx.path('new.bin');
    expect((await runGyro(['ingest', text, '--assets', fx.assets, '--store', inFolder, '-q'])).code).toBe(0);
    expect(existsSync(inFolder)).toBe(true);
    expect((await runGyro(['ingest', text, '--assets', fx.assets, '--store', deep, '--create', '-q'])).code).toBe(0);
    expect(existsSync(deep)).toBe(true);
  });

  it('reading commands refuse a missing store (chat, explain, store stats)', async () => {
    const missing = fx.path('missing.bin');
    for (const args of [
      ['chat', '--assets', fx.assets],
      ['explain', '--state', '0', '--assets', fx.assets],
      ['store', 'stats'],
      ['generate', '--prompt', 'x', '--assets', fx.assets],
    ]) {
      const r = await runGyro([...args, '--store', missing], { input: '' });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim()).toMatch(new RegExp(`^gyro: no knowledge store at ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    }
    expect(existsSync(missing)).toBe(false);
  });
});
