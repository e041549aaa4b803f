import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrbitStore } from '@gyro/store';
import { cliSuite, runGyro } from '../../test/fixture.js';

const fx = cliSuite('gyro-cli-store-', { assets: false });
let n = 0;
function makeStore(entries: Array<[number, number, number, number]>, deletes: Array<[number, number]> = []): string {
  const path = fx.path(`k${n++}.bin`);
  const s = OrbitStore.open(path);
  for (const [st, t, m, c] of entries) s.put(st, t, m, c);
  for (const [st, t] of deletes) s.delete(st, t);
  s.close();
  return path;
}
const ENTRIES: Array<[number, number, number, number]> = [
  [5, 2, 0x02, 0.5],
  [1, 9, 0, 0.1],
  [5, 1, 0x10, 1],
  [1, 3, 0, 0.2],
  [1, 3, 0x04, 0.05],
  [7, 7, 0, 0.3],
];

describe('gyro store', () => {
  it('export --json prints one object per live record, sorted', async () => {
    const path = makeStore(ENTRIES, [[7, 7]]);
    const r = await runGyro(['store', 'export', '--store', path, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { state: 1, token: 3, mask: 4, conf: 0.05, confBits: 10854 },
      { state: 1, token: 9, mask: 0, conf: 0.1, confBits: 11878 },
      { state: 5, token: 1, mask: 16, conf: 1, confBits: 15360 },
      { state: 5, token: 2, mask: 2, conf: 0.5, confBits: 14336 },
    ]);
    expect((await runGyro(['store', 'export', '--store', path])).stdout.split('\n')[0]).toBe('state\ttoken\tmask\tconf\tconfBits');
  });

  it('stats --json includes live entries, records, states, bytes and the torn tail', async () => {
    const path = makeStore(ENTRIES, [[7, 7]]);
    appendFileSync(path, Buffer.from([1, 2, 3, 4, 5]));
    const r = await runGyro(['store', 'stats', '--store', path, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ liveEntries: 4, totalRecords: 7, tombstoneRecords: 1, distinctStates: 2, fileBytes: 84, tornTailBytes: 5 });
    expect((await runGyro(['store', 'stats', '--store', path])).stdout).toMatch(/torn tail 5 bytes/);
  });

  it('validate exits 1 on a torn tail and 0 once a writer has cut it', async () => {
    const path = makeStore(ENTRIES);
    appendFileSync(path, Buffer.from([1, 2, 3]));
    const bad = await runGyro(['store', 'validate', '--store', path]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^INVALID: .*\n {2}torn tail: the last 3 bytes/);
    OrbitStore.open(path).close();
    const good = await runGyro(['store', 'validate', '--store', path, '--json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, records: 6, liveEntries: 5 });
  });

  it('compact, prune, decay and merge change the file and report what they did', async () => {
    const path = makeStore(ENTRIES, [[7, 7]]);
    const c = JSON.parse((await runGyro(['store', 'compact', '--store', path, '--json'])).stdout);
    expect(c).toMatchObject({ recordsBefore: 7, recordsAfter: 4, modified: 3 });
    expect(statSync(path).size).toBe(48);
    const p = JSON.parse((await runGyro(['store', 'prune', '--store', path, '--min-conf', '0.1', '--json'])).stdout);
    expect(p).toMatchObject({ processed: 4, modified: 1, recordsAfter: 3 });
    const d = await runGyro(['store', 'decay', '--store', path, '--factor', '0.5']);
    expect(d.stdout).toBe('decayed 3 of 3 entries (factor 0.5, floor 0.01)\n');
    const other = makeStore([
      [5, 2, 0x01, 0.9],
      [9, 9, 0, 0.375],
    ]);
    const m = JSON.parse((await runGyro(['store', 'merge', other, '--store', path, '--policy', 'or', '--json'])).stdout);
    expect(m).toMatchObject({ processed: 2, conflicts: 1, entries: 4, policy: 'or' });
    const rows = (await runGyro(['store', 'export', '--store', path, '--json'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.state, r.token, r.mask, r.conf])).toEqual([
      [1, 9, 0, 0.05],
      [5, 1, 16, 0.5],
      [5, 2, 3, 0.8999],
      [9, 9, 0, 0.375],
    ]);
  });

  it('a changed sidecar byte (the state count, the live count): validate exits 1, export and compact keep every entry', async () => {
    const path = makeStore(ENTRIES, [[7, 7]]);
    const sidecar = readFileSync(`${path}.gidx`);
    const want = (await runGyro(['store', 'export', '--store', path])).stdout;
    expect(want.trim().split('\n')).toHaveLength(5);
    for (const offset of [55, 38, 39]) {
      const damaged = Buffer.from(sidecar);
      damaged[offset]! ^= 0x40;
      writeFileSync(`${path}.gidx`, damaged);
      const v = await runGyro(['store', 'validate', '--store', path]);
      expect(v.code).toBe(1);
      expect(v.stdout).toMatch(/sidecar is corrupt: header checksum mismatch/);
      const e = await runGyro(['store', 'export', '--store', path]);
      expect(e.stdout).toBe(want);
      expect(e.stderr).toMatch(/^gyro: warning: .*ignoring its sidecar .*header checksum mismatch.*rebuilding the index from the log$/m);
      expect(e.stderr).not.toMatch(/trace-warnings|GYRO_STORE_SIDECAR/);
      writeFileSync(`${path}.gidx`, damaged);
      const c = await runGyro(['store', 'compact', '--store', path, '--json']);
      expect(c.code).toBe(0);
      expect(JSON.parse(c.stdout.trim().split('\n').pop()!)).toMatchObject({ recordsAfter: 4 });
      expect((await runGyro(['store', 'export', '--store', path])).stdout).toBe(want);
    }
  });

  it('repair salvages a log with a bad record in the middle and keeps the original as .bak', async () => {
    const path = makeStore(ENTRIES);
    const good = readFileSync(path);
    const damaged = Buffer.from(good);
    damaged.fill(0x5c, 24, 36); // record 2 of 6
    writeFileSync(path, damaged);
    expect((await runGyro(['store', 'validate', '--store', path])).code).toBe(1);
    const r = await runGyro(['store', 'repair', '--store', path]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /kept 5 records, dropped 12 bytes in 1 ranges; original kept as .*\.bak\n {2}dropped bytes 24\.\.36 \(12 bytes\)\nvalid: 4 live entries/,
    );
    expect(readFileSync(`${path}.bak`).equals(damaged)).toBe(true);
    expect(readFileSync(path).equals(Buffer.concat([good.subarray(0, 24), good.subarray(36)]))).toBe(true);
    expect((await runGyro(['store', 'validate', '--store', path])).code).toBe(0);
    expect((await runGyro(['store', 'repair', '--store', path])).stdout).toMatch(/^nothing to repair/);
  });

  it('fails in one line: missing store, bad flag values, a store held by another writer', async () => {
    const missing = await runGyro(['store', 'stats', '--store', fx.path('nope.bin')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^gyro: no knowledge store at .*nope\.bin/);
    const path = makeStore(ENTRIES);
    expect((await runGyro(['store', 'prune', '--store', path, '--min-conf', '2'])).stderr).toBe('gyro: --min-conf 2 must be a number in [0, 1]\n');
    expect((await runGyro(['store', 'decay', '--store', path])).stderr).toBe('gyro: give exactly one of --factor and --rate\n');
    const holder = OrbitStore.open(path);
    const locked = await runGyro(['store', 'compact', '--store', path]);
    holder.close();
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(new RegExp(`^gyro: store .* is already open for writing by process ${process.pid}`));
    expect(locked.stderr.split('\n').length).toBe(2);
    expect(readFileSync(path).length).toBe(72);
  });

  it('uses the default store path from the environment, and every subcommand has --help', async () => {
    const home = fx.path('home');
    const r = await runGyro(['store', 'stats'], { env: { GYRO_STORE: '', GYRO_HOME: home } });
    expect(r.stderr).toMatch(new RegExp(`no knowledge store at ${join(home, 'knowledge.bin')}`));
    for (const sub of ['stats', 'validate', 'export', 'compact', 'prune', 'merge', 'decay', 'repair']) {
      const h = await runGyro(['store', sub, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(/--json/);
      expect(h.stdout).toMatch(/--store <path>/);
    }
  });
});
