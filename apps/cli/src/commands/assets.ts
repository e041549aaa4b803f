import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { ASSET_FILES, buildAssets, defaultAssetsDir, verifyAssets, type AssetStage, type VerifyOptions } from '@gyro/information';
import { CliError, UsageError } from '../lib/fail.js';
import { Progress, fmt } from '../lib/progress.js';

interface DirFlags {
  dir?: string;
  assets?: string;
  quiet?: boolean;
}

/** `--dir D` (this family's name) or `--assets D` (the name every other command uses). */
function dirOf(flags: DirFlags): string {
  if (flags.dir && flags.assets && resolve(flags.dir) !== resolve(flags.assets))
    throw new UsageError(`--dir ${flags.dir} and --assets ${flags.assets} disagree; give one`);
  return resolve(flags.dir ?? flags.assets ?? defaultAssetsDir());
}

function addDirOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--dir <dir>', `meta-assets folder (default: $GYRO_ASSETS, else ${defaultAssetsDir({ ...process.env, GYRO_ASSETS: '' })})`))
    .addOption(new Option('--assets <dir>', 'same as --dir (the name the other commands use)').hideHelp());
}

const STAGES: Record<AssetStage, { label: string; unit: string }> = {
  ontology: { label: 'ontology (BFS from the archetype)', unit: 'states' },
  epistemology: { label: 'transition table, orbits and θ', unit: 'rows' },
};

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** `gyro assets build|verify|path`: the five meta-assets of the physics (SPEC §2). */
export function registerAssets(program: Command): void {
  const assets = program.command('assets').description('build and verify the meta-assets (ontology, transition table, θ, orbits) every other command uses');

  addDirOptions(assets.command('build').description('compute the five .npy meta-assets (about 820 MB) and write them with a manifest of their SHA-256'))
    .option('-q, --quiet', 'no progress bars (the summary is still printed)', false)
    .action(async (flags: DirFlags) => {
      const dir = dirOf(flags);
      let bar: Progress | undefined;
      let stage: AssetStage | undefined;
      const report = await buildAssets(dir, {
        onProgress: (s, done, total) => {
          if (s !== stage) {
            bar?.done();
            stage = s;
            bar = new Progress({ label: `assets build: ${STAGES[s].label}`, unit: STAGES[s].unit, quiet: flags.quiet, total });
          }
          bar!.update(done, total);
        },
      });
      bar?.done();
      const c = report.counts;
      const lines = [
        `built the meta-assets in ${dir} in ${(report.ms / 1000).toFixed(1)} s`,
        `  states ${c.states} (BFS layers ${c.layers?.join(', ')}), archetype at ${c.archetypeIndex}, ${c.orbits} orbits, largest ${c.vMax}, ${c.thetaDistinct} θ values`,
        ...report.files.map((f) => `  ${f.name.padEnd(22)} ${mib(f.size).padStart(10)}  sha256 ${f.sha256}`),
        `  total ${mib(report.files.reduce((a, f) => a + f.size, 0))}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  addDirOptions(assets.command('verify').description('rehash every file and recheck counts and every transition against the physics; exit 1 on any mismatch'))
    .option('--expect <assets.json>', 'also compare SHA-256 and sizes with a JSON file { "files": { name: sha256 }, "file_sizes": { name: bytes } }')
    .option('--json', 'print the report as JSON', false)
    .option('-q, --quiet', 'no progress bar', false)
    .action((flags: DirFlags & { expect?: string; json: boolean }) => {
      const dir = dirOf(flags);
      if (!ASSET_FILES.some((name) => existsSync(join(dir, name))))
        throw new UsageError(`no meta-assets in ${dir}; build them with: gyro assets build --dir ${dir}`);
      const opts: VerifyOptions = {};
      if (flags.expect) opts.expected = readExpected(flags.expect);
      let bar: Progress | undefined;
      let current = '';
      opts.onProgress = (file, done, total) => {
        if (file !== current) {
          bar?.done();
          current = file;
          bar = new Progress({ label: `assets verify: ${file}`, unit: 'B', total, quiet: flags.quiet || flags.json || total < 1 << 24 });
        }
        bar!.update(done, total);
      };
      const report = verifyAssets(dir, opts);
      bar?.done();
      if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const lines = report.files.map((f) => `  ${f.ok ? 'ok ' : 'BAD'} ${f.name.padEnd(22)} ${fmt(f.size).padStart(8)} B  sha256 ${f.sha256 ?? '-'}`);
        if (report.counts) {
          const c = report.counts;
          lines.push(`  states ${c.states}, archetype at ${c.archetypeIndex}, ${c.orbits} orbits, largest ${c.vMax}, ${c.thetaDistinct} θ values`);
        }
        process.stdout.write(`${report.ok ? 'verified' : 'FAILED'} ${dir} in ${(report.ms / 1000).toFixed(1)} s\n${lines.join('\n')}\n`);
        for (const p of report.problems) process.stderr.write(`gyro: ${p}\n`);
      }
      if (!report.ok)
        throw new CliError(
          'ASSETS_UNVERIFIED',
          `the meta-assets in ${dir} failed verification (${report.problems.length} problem(s)); rebuild them with: gyro assets build --dir ${dir}`,
        );
    });

  assets
    .command('path')
    .description('print the default meta-assets folder ($GYRO_ASSETS, else $XDG_CACHE_HOME/gyro/assets, else ~/.cache/gyro/assets)')
    .action(() => {
      process.stdout.write(`${defaultAssetsDir()}\n`);
    });
}

function readExpected(path: string): NonNullable<VerifyOptions['expected']> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--expect ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  const files = (parsed as { files?: unknown }).files;
  if (!files || typeof files !== 'object') throw new UsageError(`--expect ${path}: no "files" object of name → sha256`);
  return parsed as NonNullable<VerifyOptions['expected']>;
}
