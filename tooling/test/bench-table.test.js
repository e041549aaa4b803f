// The benchmark tables are generated from benchmarks.json (tooling/bench-table.js): the
// repository's copies must match it, and a hand edit of a generated table must fail the check.
// The check runs as `pnpm bench:check` does (node tooling/bench-table.js --check), on this
// repository and on scratch copies of it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRowIds, machine } from '../bench.js';
import { mergeCache, readRecord, rowAnchor, workspacePackages } from '../bench-table.js';
import { repoRoot } from '../golden.js';

const script = join(repoRoot, 'tooling', 'bench-table.js');
const scratch = mkdtempSync(join(tmpdir(), 'gyro-bench-table-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(...args) {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A scratch root holding the real record, BENCHMARKS.md and each workspace package's package.json and README. */
function copyOfRepo(name) {
  const root = join(scratch, name);
  const files = ['benchmarks.json', 'BENCHMARKS.md'];
  for (const dir of Object.values(workspacePackages(repoRoot))) {
    mkdirSync(join(root, dir), { recursive: true });
    files.push(`${dir}/package.json`, `${dir}/README.md`);
  }
  for (const f of files) if (existsSync(join(repoRoot, f))) cpSync(join(repoRoot, f), join(root, f));
  return root;
}

describe('bench tables', () => {
  it('in this repository match benchmarks.json (no bench cache needed)', () => {
    expect(run('--check', '--root', repoRoot)).toMatchObject({ status: 0 });
  });

  it('every package README with figures carries a generated block that links each row', () => {
    const record = readRecord(repoRoot);
    const store = readFileSync(join(repoRoot, 'packages/store/README.md'), 'utf8');
    expect(store).toContain('<!-- bench:start @gyro/store -->');
    for (const row of record['@gyro/store'].rows) expect(store).toContain(`(../../BENCHMARKS.md#${rowAnchor('@gyro/store', row.id)})`);
    const table = readFileSync(join(repoRoot, 'BENCHMARKS.md'), 'utf8');
    expect(table).toContain('## @gyro/store');
    expect(table).toContain('<a id="gyrostore-get-packed"></a>');
  });

  it('a hand edit in a README block fails the check, naming the file and line', () => {
    const root = copyOfRepo('edited');
    expect(run('--check', '--root', root)).toMatchObject({ status: 0 });
    const path = join(root, 'packages/store/README.md');
    const text = readFileSync(path, 'utf8');
    const value = readRecord(root)['@gyro/store'].rows.find((r) => r.id === 'get-packed').value;
    const row = text.split('\n').findIndex((l) => l.includes('#gyrostore-get-packed'));
    expect(text.split('\n')[row]).toContain(`| ${value} |`);
    writeFileSync(path, text.replace(`| ${value} |`, '| 9.99 M ops/s CPU (9.99 M wall) |'));
    const r = run('--check', '--root', root);
    expect(r.status).toBe(1);
    expect(r.output).toContain(`packages/store/README.md:${row + 1}:`);
    expect(r.output).toContain('9.99 M ops/s');
    // bench:table puts the recorded figure back.
    expect(run('--root', root, '--cache', join(root, 'no-cache'))).toMatchObject({ status: 0 });
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('a hand edit of BENCHMARKS.md, or a README without its block, fails the check', () => {
    const root = copyOfRepo('table');
    const table = join(root, 'BENCHMARKS.md');
    writeFileSync(table, readFileSync(table, 'utf8').replace('| yes |', '| no |'));
    expect(run('--check', '--root', root)).toMatchObject({ status: 1, output: expect.stringContaining('BENCHMARKS.md:') });
    const readme = join(root, 'packages/store/README.md');
    writeFileSync(readme, readFileSync(readme, 'utf8').replace(/<!-- bench:start[\s\S]*?<!-- bench:end -->/, '| hand-made | table |'));
    expect(run('--check', '--root', root)).toMatchObject({
      status: 1,
      output: expect.stringContaining('no <!-- bench:start … --> block in the README of @gyro/store'),
    });
  });

  it('a link to a row BENCHMARKS.md does not have fails the check', () => {
    const root = copyOfRepo('links');
    const readme = join(root, 'packages/store/README.md');
    const text = readFileSync(readme, 'utf8');
    expect(text).toContain('BENCHMARKS.md#gyrostore-index-bytes-10m-all)');
    writeFileSync(readme, text.replace('BENCHMARKS.md#gyrostore-index-bytes-10m-all)', 'BENCHMARKS.md#gyrostore-index-bytes-renamed)'));
    expect(run('--check', '--root', root)).toMatchObject({
      status: 1,
      output: expect.stringContaining('packages/store/README.md: links to BENCHMARKS.md#gyrostore-index-bytes-renamed, which BENCHMARKS.md does not have'),
    });
  });

  it('bench:table takes a newer cached run into the record and the README, and leaves older or id-less ones', () => {
    const root = copyOfRepo('merge');
    const cache = join(root, 'cache');
    mkdirSync(cache);
    const recorded = readRecord(root)['@gyro/store'];
    const rows = recorded.rows.map((r) => (r.id === 'get-packed' ? { ...r, value: '7.77 M ops/s CPU (7.70 M wall)' } : r));
    const file = join(cache, '_gyro_store.json');
    writeFileSync(file, JSON.stringify({ pkg: '@gyro/store', machine: 'test machine', date: '2000-01-01T00:00:00.000Z', rows }));
    expect(mergeCache(readRecord(root), cache)).toEqual({ merged: [], skipped: [] });
    writeFileSync(file, JSON.stringify({ pkg: '@gyro/store', machine: 'test machine', date: '2999-01-01T00:00:00.000Z', rows: rows.map(({ id, ...r }) => r) }));
    expect(mergeCache(readRecord(root), cache).skipped[0]).toMatch(/needs an id/);
    writeFileSync(file, JSON.stringify({ pkg: '@gyro/store', machine: 'test machine', date: '2999-01-01T00:00:00.000Z', load: 1.5, rows }));
    expect(run('--root', root, '--cache', cache)).toMatchObject({ status: 0, output: expect.stringContaining('took @gyro/store from the cache') });
    expect(readRecord(root)['@gyro/store']).toMatchObject({ machine: 'test machine', date: '2999-01-01T00:00:00.000Z' });
    const line = readFileSync(join(root, 'packages/store/README.md'), 'utf8')
      .split('\n')
      .find((l) => l.includes('#gyrostore-get-packed'));
    expect(line).toContain('| 7.77 M ops/s CPU (7.70 M wall) | ≥ 5 M ops/s | yes | test machine | 2999-01-01 |');
    expect(readFileSync(join(root, 'BENCHMARKS.md'), 'utf8')).toContain(
      'Measured 2999-01-01 00:00 UTC on test machine, 1-minute load average 1.5 when it ended.',
    );
    expect(run('--check', '--root', root)).toMatchObject({ status: 0 });
  });

  it('end to end: report() in a bench process writes the cache, bench:table takes it into the README', () => {
    const root = copyOfRepo('report');
    const rows = readRecord(root)['@gyro/tokenizer'].rows.map((r) => (r.id === 'load' ? { ...r, value: '12345 ms' } : r));
    const bench = `import(${JSON.stringify(join(repoRoot, 'tooling', 'bench.js'))}).then((m) => m.report('@gyro/tokenizer', ${JSON.stringify(rows)}))`;
    const r = spawnSync(process.execPath, ['-e', bench], { encoding: 'utf8', env: { ...process.env, GYRO_CACHE: join(root, 'cache') } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('| load | load bert-base-uncased (fresh process) | 12345 ms |');
    expect(run('--root', root, '--cache', join(root, 'cache', 'bench'))).toMatchObject({ status: 0, output: expect.stringContaining('took @gyro/tokenizer') });
    const line = readFileSync(join(root, 'packages/tokenizer/README.md'), 'utf8')
      .split('\n')
      .find((l) => l.includes('#gyrotokenizer-load)'));
    expect(line).toContain(`| 12345 ms |  |  | ${machine()} | ${new Date().toISOString().slice(0, 10)} |`);
  });

  it('report() refuses rows without a stable id, or with one twice', () => {
    expect(() => checkRowIds('@gyro/x', [{ figure: 'a', value: '1' }])).toThrow(/needs an id/);
    expect(() => checkRowIds('@gyro/x', [{ id: 'Get Packed', figure: 'a', value: '1' }])).toThrow(/needs an id/);
    expect(() =>
      checkRowIds('@gyro/x', [
        { id: 'a', figure: 'a', value: '1' },
        { id: 'a', figure: 'b', value: '2' },
      ]),
    ).toThrow(/appears twice/);
    expect(() => checkRowIds('@gyro/x', [{ id: 'eval-wordnet-state', figure: 'a', value: '1' }])).not.toThrow();
  });
});
