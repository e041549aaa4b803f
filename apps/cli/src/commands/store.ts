import { Option, type Command } from 'commander';
import {
  MERGE_POLICIES,
  OrbitStore,
  compactStore,
  decayStore,
  defaultStorePath,
  exportRecords,
  mergeStores,
  pruneStore,
  repairStore,
  storeStats,
  validateStore,
  type MergePolicy,
} from '@gyro/store';
import { UsageError } from '../lib/fail.js';
import { createOption, existingStorePath, writableStorePath } from '../lib/engine-setup.js';

interface StoreFlags {
  store?: string;
  json?: boolean;
}

function addStoreOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--store <path>', 'knowledge store file').default(undefined, `${defaultStorePath()}, or $GYRO_STORE`))
    .option('--json', 'print the report as JSON', false);
}

/** The store path of the flags, which must exist (every command but merge reads it). */
const existingStore = (flags: StoreFlags): string => existingStorePath(flags);

function confFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (!Number.isFinite(x) || x < 0 || x > 1) throw new UsageError(`${name} ${value} must be a number in [0, 1]`);
  return x;
}

function print(flags: StoreFlags, report: object, lines: () => string[]): void {
  process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${lines().join('\n')}\n`);
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

/** `gyro store stats|validate|export|compact|prune|merge|decay|repair` (SPEC §4.3). */
export function registerStore(program: Command): void {
  const store = program.command('store').description(`inspect and maintain a knowledge store (an OrbitStore file; default ${defaultStorePath()})`);

  addStoreOptions(store.command('stats').description('entries, records, states, bytes, torn tail, confidence histogram (read-only)')).action(
    (flags: StoreFlags) => {
      const r = storeStats(existingStore(flags));
      print(flags, r, () => [
        `${r.path}`,
        `  live entries      ${r.liveEntries}`,
        `  records           ${r.totalRecords} (${r.tombstoneRecords} tombstones, ${r.totalRecords - r.liveEntries - r.tombstoneRecords} superseded)`,
        `  distinct states   ${r.distinctStates}`,
        `  addressing        ${r.addressing} (${r.addressing === 'canonical' ? 'keys are orbit representatives' : 'keys are exact states'})`,
        `  file              ${r.fileBytes} bytes (${mib(r.fileBytes)})${r.tornTailBytes ? `, torn tail ${r.tornTailBytes} bytes` : ''}`,
        `  index             ${mib(r.indexBytes)} in memory, opened from ${r.openedFrom} (sidecar ${r.sidecar})`,
        `  mean conf         ${r.meanConf.toFixed(4)}`,
        `  conf histogram    ${r.confHistogram.join(' ')}  (tenths, 0 to 1)`,
      ]);
    },
  );

  addStoreOptions(store.command('validate').description('check every record, the sidecar and the lock; exit 1 on any problem')).action((flags: StoreFlags) => {
    const r = validateStore(existingStore(flags));
    print(flags, r, () => [
      `${r.ok ? 'valid' : 'INVALID'}: ${r.path}: ${r.records} records, ${r.liveEntries} live entries, ${r.addressing} addressing, sidecar ${r.sidecar}, lock ${r.lock}`,
      ...r.issues.map((i) => `  ${i}`),
    ]);
    if (!r.ok) process.exitCode = 1;
  });

  addStoreOptions(
    store
      .command('repair')
      .description('salvage a damaged log: keep every valid record, drop bad ones, keep the original as FILE.bak; exit 1 unless the result validates'),
  ).action((flags: StoreFlags) => {
    const r = repairStore(existingStore(flags));
    print(flags, r, () => [
      r.dropped.length === 0
        ? `nothing to repair: ${r.path}: ${r.keptRecords} valid records`
        : `repaired ${r.path}: kept ${r.keptRecords} records, dropped ${r.droppedBytes} bytes in ${r.dropped.length} ranges; original kept as ${r.backup}`,
      ...r.dropped.map((d) => `  dropped bytes ${d.start}..${d.end} (${d.end - d.start} bytes)`),
      r.ok ? `valid: ${r.validation.liveEntries} live entries` : `still INVALID:`,
      ...r.validation.issues.map((i) => `  ${i}`),
    ]);
    if (!r.ok) process.exitCode = 1;
  });

  addStoreOptions(
    store.command('export').description('every live record sorted by state and token: tab-separated lines, or one JSON object per line with --json'),
  ).action((flags: StoreFlags) => {
    const s = OrbitStore.open(existingStore(flags), { readOnly: true });
    try {
      const out: string[] = flags.json ? [] : ['state\ttoken\tmask\tconf\tconfBits'];
      const emit = () => {
        if (out.length) process.stdout.write(`${out.join('\n')}\n`);
        out.length = 0;
      };
      for (const r of exportRecords(s)) {
        out.push(flags.json ? JSON.stringify(r) : `${r.state}\t${r.token}\t${r.mask}\t${r.conf}\t${r.confBits}`);
        if (out.length === 8192) emit();
      }
      emit();
    } finally {
      s.close();
    }
  });

  addStoreOptions(store.command('compact').description('rewrite only the live records (drops superseded records and tombstones)'))
    .option('--output <path>', 'write the compacted store to a new file instead of in place')
    .action((flags: StoreFlags & { output?: string }) => {
      const r = compactStore(existingStore(flags), { output: flags.output });
      print(flags, r, () => [
        `compacted into ${r.output}: ${r.recordsBefore} → ${r.recordsAfter} records, ${r.bytesBefore} → ${r.bytesAfter} bytes in ${r.milliseconds.toFixed(0)} ms`,
      ]);
    });

  addStoreOptions(store.command('prune').description('remove entries below a confidence, compacting the file'))
    .requiredOption('--min-conf <x>', 'remove entries whose confidence is below this')
    .option('--output <path>', 'write the pruned store to a new file instead of in place')
    .option('--archive <file.json>', 'write a JSON summary of the removed entries')
    .option('--dry-run', 'count what would be removed, change nothing', false)
    .action((flags: StoreFlags & { minConf: string; output?: string; archive?: string; dryRun: boolean }) => {
      const r = pruneStore(existingStore(flags), {
        minConf: confFlag('--min-conf', flags.minConf)!,
        dryRun: flags.dryRun,
        output: flags.output,
        archivePath: flags.archive,
      });
      print(flags, r, () => [
        `${r.dryRun ? 'would prune' : 'pruned'} ${r.modified} of ${r.processed} entries below ${r.minConf}` +
          (r.recordsAfter === undefined ? '' : `; ${r.recordsBefore} → ${r.recordsAfter} records`) +
          (r.archivePath ? `; summary in ${r.archivePath}` : ''),
      ]);
    });

  addStoreOptions(
    store
      .command('merge')
      .argument('<sources...>', 'store files to merge, oldest first')
      .description('merge stores into --store (its own entries, if any, take part as the oldest)'),
  )
    .addOption(new Option('--policy <policy>', 'what a key present in several stores becomes').choices([...MERGE_POLICIES]).default('highest'))
    .addOption(createOption())
    .action((sources: string[], flags: StoreFlags & { policy: MergePolicy; create?: boolean }) => {
      const r = mergeStores(sources, writableStorePath(flags), { policy: flags.policy });
      print(flags, r, () => [
        `merged ${r.sources.length} stores into ${r.destination} (${r.policy}): ${r.processed} entries read, ${r.conflicts} conflicts, ${r.modified} written, ${r.entries} entries now`,
      ]);
    });

  addStoreOptions(store.command('decay').description('lower every confidence: conf·factor (global) or conf − rate (engine), never below the floor'))
    .option('--factor <f>', 'multiply each confidence by f (0 < f ≤ 1)')
    .option('--rate <r>', 'subtract r from each confidence')
    .option('--floor <x>', 'decay stops at this confidence', '0.01')
    .option('--dry-run', 'count what would change, change nothing', false)
    .action((flags: StoreFlags & { factor?: string; rate?: string; floor: string; dryRun: boolean }) => {
      if ((flags.factor === undefined) === (flags.rate === undefined)) throw new UsageError('give exactly one of --factor and --rate');
      const factor = confFlag('--factor', flags.factor);
      const rate = confFlag('--rate', flags.rate);
      const r = decayStore(existingStore(flags), {
        floor: confFlag('--floor', flags.floor)!,
        dryRun: flags.dryRun,
        factor,
        rate,
      });
      print(flags, r, () => [`${r.dryRun ? 'would change' : 'decayed'} ${r.modified} of ${r.processed} entries (${r.mode} ${r.amount}, floor ${r.floor})`]);
    });
}
