import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { defaultAssetsDir, ensureAssets, loadInformationEngine, type EngineMode, type InformationEngine } from '@gyro/information';
import { ADDRESSINGS, defaultStorePath, OrbitStore, type Addressing } from '@gyro/store';
import { UsageError } from './fail.js';
import { Progress } from './progress.js';

/**
 * Options and loaders shared by the commands that run the engine (ingest, explain, generate,
 * chat): where the meta-assets and the knowledge store live, with the documented defaults.
 */
export interface EngineFlags {
  assets?: string | undefined;
  store?: string | undefined;
  quiet?: boolean | undefined;
  /** The addressing asked for (undefined: the store's own; see @gyro/store addressing). */
  addressing?: Addressing | undefined;
}

/**
 * `--addressing canonical|state` of the commands that create or learn into a store: a new
 * store records it; a store that holds records must already have it (else
 * STORE_ADDRESSING_MISMATCH). Without the flag a store keeps its own, a new one is canonical.
 */
export function addressingOption(extra = ''): Option {
  return new Option(
    '--addressing <mode>',
    `how the store keys states: canonical (orbit representatives, the reference's) or state (exact states)${extra}; fixed once the store holds a record (default: the store's own, canonical for a new store)`,
  ).choices([...ADDRESSINGS]);
}

/** Adds `--assets D` and `--store S` with their defaults shown in --help. */
export function addEngineOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--assets <dir>',
        `meta-assets folder, built on first use (default: $GYRO_ASSETS, else ${defaultAssetsDir({ ...process.env, GYRO_ASSETS: '' })})`,
      ),
    )
    .addOption(new Option('--store <path>', `knowledge store file (default: $GYRO_STORE, else ${defaultStorePath({ ...process.env, GYRO_STORE: '' })})`));
}

export function storePathOf(flags: EngineFlags): string {
  return flags.store ?? defaultStorePath();
}

/**
 * The information engine of `flags.assets` (default folder when absent), building the assets
 * first when they are missing, with a progress bar on stderr.
 */
export async function loadEngine(flags: EngineFlags, mode: EngineMode = 'stt'): Promise<InformationEngine> {
  return loadInformationEngine(await ensureAssetsShown(flags), { mode });
}

/** Build the meta-assets of `flags.assets` (default folder) if missing, with a progress bar; returns the folder. */
export async function ensureAssetsShown(flags: EngineFlags): Promise<string> {
  const dir = flags.assets ?? defaultAssetsDir();
  let bar: Progress | undefined;
  let stage = '';
  const result = await ensureAssets(dir, {
    onProgress: (s, done, total) => {
      if (s !== stage) {
        bar?.done();
        stage = s;
        bar = new Progress({ label: `building assets: ${s}`, quiet: flags.quiet, total });
      }
      bar!.update(done, total);
    },
  });
  bar?.done();
  if (result.built && !flags.quiet) process.stderr.write(`gyro: meta-assets built in ${dir}\n`);
  return dir;
}

/**
 * The store a reading command (generate, explain, chat, eval, store …) uses: it must exist. A
 * typo in --store is an error, never a new empty store answering from nothing.
 */
export function existingStorePath(flags: EngineFlags): string {
  const path = storePathOf(flags);
  if (!existsSync(path)) throw new UsageError(`no knowledge store at ${path} (check --store, or learn something first: gyro ingest FILE --store ${path})`);
  return path;
}

/** `--create` of the commands that write a store. */
export function createOption(): Option {
  return new Option(
    '--create',
    'create the store, and any missing folders above it, when it does not exist (without it a new store is made only in an existing folder)',
  );
}

/**
 * The store a writing command (ingest, corpus, serve's starter) learns into: an existing one, or
 * a new one whose folder exists. Missing folders are made only with `create` (--create), or for
 * the default location (gyro's own data folder, the documented place that needs no flag), so a
 * mistyped path never grows a tree of folders.
 */
export function writableStorePath(flags: EngineFlags & { create?: boolean }, env: NodeJS.ProcessEnv = process.env): string {
  const path = storePathOf(flags);
  if (existsSync(path)) return path;
  const folder = dirname(resolve(path));
  if (existsSync(folder)) return path;
  const isDefault = flags.store === undefined && !env.GYRO_STORE;
  if (!flags.create && !isDefault)
    throw new UsageError(`the folder ${folder} of the store ${path} does not exist (check --store, create the folder, or pass --create)`);
  mkdirSync(folder, { recursive: true });
  return path;
}

/** Open the store for reading; a missing file is a usage error that says how to make one. */
export function openStoreForReading(flags: EngineFlags): OrbitStore {
  return OrbitStore.open(existingStorePath(flags), { readOnly: true });
}

/** Parse a non-negative integer flag value, or throw a usage error naming the flag. */
export function intFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}
