#!/usr/bin/env node
// Figures live in one place: benchmarks.json at the root, the record of the latest measured run
// of each suite, kept in git. This script
//   1. takes each suite's newer results from .cache/bench/*.json (written by tooling/bench.js
//      when a package's `pnpm bench` runs) into benchmarks.json,
//   2. writes BENCHMARKS.md from it (one section per package, one anchor per row), and
//   3. rewrites, in every workspace README, each block between `<!-- bench:start SUITE -->` and
//      `<!-- bench:end -->` with that suite's rows (optionally `ids=eval-*,load-*` to pick some).
// `--check` does only the writing in memory and fails when a file differs from what it would
// write, so a hand edit in a generated table (or a README block gone missing) fails
// `pnpm test` (tooling/test/bench-table.test.js). It reads no cache: a fresh clone can check.
// Options: --root DIR (default: this repository), --cache DIR (default: $GYRO_CACHE/bench).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRowIds, met } from './bench.js';
import { cacheDir, repoRoot } from './golden.js';

export const RECORD = 'benchmarks.json';
export const TABLE = 'BENCHMARKS.md';
const BLOCK = /<!-- bench:start (.+?) -->\n[\s\S]*?<!-- bench:end -->/g;

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens ("@gyro/adapter page" → "gyroadapter-page"). */
export function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}
/** The package a suite belongs to: its first word. */
export const packageOf = (suite) => suite.split(' ')[0];
/** Anchor of a row in BENCHMARKS.md, e.g. gyrostore-get-packed. */
export const rowAnchor = (suite, id) => `${slug(suite)}-${id}`;

export function readRecord(root) {
  const path = join(root, RECORD);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}

export function serializeRecord(record) {
  const sorted = Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  );
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/** Takes each cached suite newer than the recorded one into `record` (in place). */
export function mergeCache(record, dir) {
  const merged = [];
  const skipped = [];
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  for (const f of files.sort()) {
    const { pkg: suite, machine, date, load, rows } = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    if (record[suite] && record[suite].date >= date) continue;
    try {
      checkRowIds(suite, rows);
    } catch (e) {
      skipped.push(`${f}: ${e.message} (results from a bench without row ids; run it again)`);
      continue;
    }
    record[suite] = { machine, date, load, rows: rows.map(({ id, figure, value, goal, pass }) => ({ id, figure, value, goal, pass })) };
    merged.push(suite);
  }
  return { merged, skipped };
}

/** Workspace packages by name: { name → folder relative to root }. */
export function workspacePackages(root) {
  const out = {};
  for (const group of ['packages', 'apps']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const d of readdirSync(base)) {
      const pj = join(base, d, 'package.json');
      if (existsSync(pj)) out[JSON.parse(readFileSync(pj, 'utf8')).name] = `${group}/${d}`;
    }
  }
  return out;
}

const cell = (s) => String(s ?? '').replace(/\|/g, '\\|');
const linkText = (s) => cell(s).replace(/[[\]]/g, '\\$&');

export function renderTable(record, packages) {
  const bySuite = Object.keys(record).sort();
  const names = [...new Set(bySuite.map(packageOf))];
  const lines = [
    '# Benchmarks',
    '',
    `<!-- Written by tooling/bench-table.js (\`pnpm bench\`, \`pnpm bench:table\`) from ${RECORD}; do not edit by hand. -->`,
    '',
    `The latest measured run of each benchmark suite, from \`${RECORD}\` (the record kept in git). \`pnpm bench\` at`,
    'the root runs every suite and rewrites this file and the tables in the package READMEs; after one',
    "package's `pnpm bench`, `pnpm bench:table` does the same with its results. A row keeps its anchor",
    '(the `id` column) from run to run, so READMEs and discussions link to it rather than copy the figure.',
    '',
    names.map((n) => `[${n}](#${slug(n)})`).join(' · '),
  ];
  for (const name of names) {
    const where = packages[name];
    lines.push('', `## ${name}`, '');
    if (where) lines.push(`Reproduce: \`pnpm --filter ${name} bench\`; what the figures mean: [${where}/README.md](${where}/README.md).`, '');
    for (const suite of bySuite.filter((s) => packageOf(s) === name)) {
      const { machine, date, load, rows } = record[suite];
      if (suite !== name) lines.push(`### ${suite}`, '');
      const at = load === undefined ? '' : `, 1-minute load average ${load} when it ended`;
      lines.push(
        `Measured ${date.slice(0, 16).replace('T', ' ')}${date.length > 10 ? ' UTC' : ''} on ${machine}${at}.`,
        '',
        '| id | figure | value | goal | met |',
        '| --- | --- | --- | --- | --- |',
      );
      for (const r of rows) {
        lines.push(`| <a id="${rowAnchor(suite, r.id)}"></a>\`${r.id}\` | ${cell(r.figure)} | ${cell(r.value)} | ${cell(r.goal)} | ${met(r.pass)} |`);
      }
      lines.push('');
    }
    lines.pop();
  }
  return `${lines.join('\n')}\n`;
}

const glob = (pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** The generated block for `<!-- bench:start ARGS -->` in the README at `readmeRel` (relative to root). */
export function renderBlock(args, record, readmeRel) {
  const words = args.trim().split(/\s+/);
  const filters = words.filter((w) => w.startsWith('ids=')).flatMap((w) => w.slice(4).split(',').map(glob));
  const suite = words.filter((w) => !w.startsWith('ids=')).join(' ');
  const entry = record[suite];
  if (!entry) throw new Error(`${readmeRel}: bench block names suite "${suite}", which ${RECORD} does not have`);
  const rows = entry.rows.filter((r) => filters.length === 0 || filters.some((f) => f.test(r.id)));
  if (rows.length === 0) throw new Error(`${readmeRel}: bench block "${args}" selects no row`);
  const up = relative(dirname(readmeRel), '.').split(sep).join('/');
  const table = `${up ? `${up}/` : ''}${TABLE}`;
  return [
    `<!-- bench:start ${args} -->`,
    '',
    `<!-- Generated from ${RECORD} by \`pnpm bench:table\`; edits here fail \`pnpm test\`. -->`,
    '',
    '| figure | value | goal | met | machine | date |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| [${linkText(r.figure)}](${table}#${rowAnchor(suite, r.id)}) | ${cell(r.value)} | ${cell(r.goal)} | ${met(r.pass)} | ${cell(entry.machine)} | ${entry.date.slice(0, 10)} |`,
    ),
    '',
    '<!-- bench:end -->',
  ].join('\n');
}

/** Every file this script writes, with the text it would write: { relative path → text }. */
export function plan(root, record) {
  const packages = workspacePackages(root);
  const out = { [TABLE]: renderTable(record, packages) };
  const shown = new Set();
  const readmes = ['README.md', ...Object.values(packages).map((d) => `${d}/README.md`)];
  for (const rel of readmes) {
    const path = join(root, rel);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    const next = text.replace(BLOCK, (_, args) => {
      shown.add(packageOf(args.trim()));
      return renderBlock(args, record, rel);
    });
    if (text.includes('<!-- bench:start')) out[rel] = next;
  }
  const missing = [...new Set(Object.keys(record).map(packageOf))].filter((n) => packages[n] && !shown.has(n));
  if (missing.length) throw new Error(`no <!-- bench:start … --> block in the README of ${missing.join(', ')}`);
  return out;
}

/** Links into BENCHMARKS.md (`BENCHMARKS.md#anchor`) from the docs whose anchor the table does not have. */
export function brokenLinks(root, table) {
  const anchors = new Set([...table.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
  for (const m of table.matchAll(/^#+ (.+)$/gm)) anchors.add(slug(m[1]));
  const docs = ['README.md', 'ARCHITECTURE.md', ...Object.values(workspacePackages(root)).map((d) => `${d}/README.md`)];
  if (existsSync(join(root, 'docs')))
    docs.push(
      ...readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    );
  const out = [];
  for (const rel of docs) {
    if (!existsSync(join(root, rel))) continue;
    for (const m of readFileSync(join(root, rel), 'utf8').matchAll(/BENCHMARKS\.md#([\w-]+)/g)) {
      if (!anchors.has(m[1])) out.push({ path: rel, message: `${rel}: links to ${TABLE}#${m[1]}, which ${TABLE} does not have` });
    }
  }
  return out;
}

/** Files whose text differs from the plan: { path, message } with the first differing line. */
export function differences(root, files) {
  const out = [];
  for (const [rel, want] of Object.entries(files)) {
    const path = join(root, rel);
    const have = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (have === want) continue;
    const a = have.split('\n');
    const b = want.split('\n');
    let i = 0;
    while (i < Math.max(a.length, b.length) && a[i] === b[i]) i++;
    out.push({ path: rel, message: `${rel}:${i + 1}: has ${JSON.stringify(a[i] ?? '')}, generated ${JSON.stringify(b[i] ?? '')}` });
  }
  return out;
}

export function main(argv) {
  const opt = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const root = opt('--root', repoRoot);
  const record = readRecord(root);
  if (argv.includes('--check')) {
    const files = plan(root, record);
    const diffs = [...differences(root, files), ...brokenLinks(root, files[TABLE])];
    if (diffs.length === 0) return 0;
    console.error(`bench tables differ from ${RECORD} (run pnpm bench:table; never edit them by hand):\n${diffs.map((d) => d.message).join('\n')}`);
    return 1;
  }
  const { merged, skipped } = mergeCache(record, opt('--cache', join(cacheDir, 'bench')));
  for (const s of skipped) console.warn(`skipped ${s}`);
  const files = { [RECORD]: serializeRecord(record), ...plan(root, record) };
  const changed = differences(root, files).map((d) => d.path);
  for (const rel of changed) writeFileSync(join(root, rel), files[rel]);
  for (const b of brokenLinks(root, files[TABLE])) console.warn(b.message);
  console.log(`${merged.length ? `took ${merged.join(', ')} from the cache; ` : ''}${changed.length ? `wrote ${changed.join(', ')}` : 'nothing to write'}`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`bench-table: ${e.message}`);
    process.exitCode = 1;
  }
}
