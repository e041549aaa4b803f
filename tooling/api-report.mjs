#!/usr/bin/env node
// API reports: one per entry point (each `exports` subpath with types) of every publishable
// package, made by API Extractor from the built declarations (dist/*.d.ts) with the one
// configuration tooling/api-extractor.base.json, checked in as <package>/etc/*.api.md.
//
//   node tooling/api-report.mjs            check (pnpm api:check): exit 1 when a report differs
//                                          from the built API, is missing, or names a gone entry
//   node tooling/api-report.mjs --update   rewrite the reports (pnpm api:update)
//   ... [DIR...]                           only these package folders (default: packages/*, apps/*)
//
// Build first (`pnpm build`; `pnpm install` builds too): the reports describe dist/, not src/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const baseConfig = join(root, 'tooling', 'api-extractor.base.json');
const update = process.argv.includes('--update');
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const REPORT_SUFFIX = '.api.md';

function publishable(dir) {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return pkg.private !== true && pkg.exports ? pkg : undefined;
  } catch {
    return undefined;
  }
}

/** Each entry point with types: `.` → <name>.api.md, `./internals` → <name>-internals.api.md. */
function entriesOf(dir, pkg) {
  const unscoped = pkg.name.replace(/^@[^/]+\//, '');
  return Object.entries(pkg.exports)
    .filter(([subpath, target]) => typeof target === 'object' && target.import?.types && subpath !== './package.json')
    .map(([subpath, target]) => ({
      subpath,
      dts: resolve(dir, target.import.types),
      report: subpath === '.' ? unscoped : `${unscoped}-${subpath.slice(2).replaceAll('/', '-')}`,
    }));
}

function diffOf(expected, actual) {
  const r = spawnSync('diff', ['-u', expected, actual], { encoding: 'utf8' });
  const lines = (r.stdout || '').split('\n').slice(2);
  return lines.length > 60 ? [...lines.slice(0, 60), `... (${lines.length - 60} more lines)`].join('\n') : lines.join('\n');
}

function run(dir, pkg, entry, tempFolder) {
  const configObject = ExtractorConfig.loadFile(baseConfig);
  configObject.projectFolder = dir;
  configObject.mainEntryPointFilePath = entry.dts;
  configObject.apiReport = { ...configObject.apiReport, reportFileName: entry.report, reportTempFolder: tempFolder };
  // Only the entry's declarations (and what they import), never the package's sources.
  configObject.compiler = {
    overrideTsconfig: {
      compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, skipLibCheck: true, types: ['node'] },
      files: [entry.dts],
    },
  };
  const config = ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: join(dir, 'api-extractor.json'),
    packageJsonFullPath: join(dir, 'package.json'),
  });
  const problems = [];
  const result = Extractor.invoke(config, {
    localBuild: update,
    messageCallback(message) {
      message.handled = true;
      // The report's own status is told below, in this script's words.
      if (message.messageId.startsWith('console-')) return;
      if (message.logLevel === 'error' || message.logLevel === 'warning') problems.push(message.formatMessageWithLocation(root));
    },
  });
  return { result, problems, reportPath: config.reportFilePath, tempPath: config.reportTempFilePath };
}

const dirs = named.length
  ? named.map((d) => resolve(d))
  : ['packages', 'apps'].flatMap((group) => readdirSync(join(root, group)).map((d) => join(root, group, d)));
const temp = mkdtempSync(join(tmpdir(), 'gyro-api-'));
const failures = [];
let checked = 0;
const started = Date.now();
try {
  for (const dir of dirs) {
    const pkg = publishable(dir);
    if (!pkg) continue;
    const entries = entriesOf(dir, pkg);
    const etc = join(dir, 'etc');
    for (const entry of entries) {
      const where = `${pkg.name} (${entry.subpath === '.' ? 'root entry' : entry.subpath})`;
      if (!existsSync(entry.dts)) {
        failures.push(`${where}: ${relative(root, entry.dts)} is missing; run pnpm build first`);
        continue;
      }
      mkdirSync(etc, { recursive: true });
      const { result, problems, reportPath, tempPath } = run(dir, pkg, entry, join(temp, entry.report));
      checked++;
      for (const p of problems) failures.push(`${where}: ${p}`);
      const file = relative(root, reportPath);
      if (update) {
        if (result.apiReportChanged) process.stdout.write(`updated ${file}\n`);
      } else if (result.apiReportChanged) {
        const how = existsSync(reportPath) ? `differs from the built API:\n${diffOf(reportPath, tempPath)}` : 'is missing';
        failures.push(`${where}: the API report ${file} ${how}\n  If the change is intended, run \`pnpm build && pnpm api:update\` and commit ${file}.`);
      }
    }
    // A report whose entry point is gone.
    const expected = new Set(entries.map((e) => e.report + REPORT_SUFFIX));
    for (const f of existsSync(etc) ? readdirSync(etc).filter((n) => n.endsWith(REPORT_SUFFIX) && !expected.has(n)) : []) {
      const file = relative(root, join(etc, f));
      if (update) {
        rmSync(join(etc, f));
        process.stdout.write(`removed ${file} (no such entry point)\n`);
      } else failures.push(`${pkg.name}: ${file} reports an entry point the package no longer exports; run \`pnpm api:update\` and commit the removal.`);
    }
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length) {
  process.stderr.write(
    `${failures.join('\n\n')}\n\napi:${update ? 'update' : 'check'}: ${failures.length} problem(s) in ${checked} entry points (${seconds} s)\n`,
  );
  process.exit(1);
}
process.stdout.write(`api:${update ? 'update' : 'check'}: ${checked} entry points ${update ? 'written' : 'match their reports'} (${seconds} s)\n`);
