import type { Command } from 'commander';
import { IntelligenceEngine, type ScoreTerms } from '@gyro/intelligence';
import { getTokenizer } from '@gyro/tokenizer';
import { addEngineOptions, intFlag, loadEngine, openStoreForReading, type EngineFlags } from '../lib/engine-setup.js';
import { UsageError } from '../lib/fail.js';

interface ExplainFlags extends EngineFlags {
  state?: string;
  limit?: string;
  json?: boolean;
}

const COLUMNS = ['rank', 'token', 'text', 'conf', 'exonProduct', 'resonance', 'orbitFactor', 'uniqueness', 'score'] as const;

/**
 * `gyro explain --state N`: the ranked candidates stored for a state's representative, with
 * every term of their score (SPEC §6.2) — the trace behind each generation decision. N is a
 * state index (0..788985), or a 48-bit state integer written in hex (0x…).
 */
export function registerExplain(program: Command): void {
  addEngineOptions(
    program
      .command('explain')
      .description('rank the candidates of a state with every score term (token, text, conf, exonProduct, resonance, orbitFactor, uniqueness, score)')
      .requiredOption('--state <n>', 'state index, or a state integer in hex (0x…)'),
  )
    .option('--limit <k>', 'candidates to list (0 = all)', '20')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: ExplainFlags) => {
      const limit = intFlag('--limit', flags.limit, 20);
      const raw = flags.state!.trim();
      const isHex = /^0x[0-9a-f]+$/i.test(raw);
      if (!isHex && !/^\d+$/.test(raw)) throw new UsageError(`--state must be a state index or a hex state integer, got "${raw}"`);
      // Ranking needs no transitions: the STT-free engine starts without reading the 800 MB table.
      const info = await loadEngine({ ...flags, quiet: flags.quiet ?? flags.json }, 'stt-free');
      const index = isHex ? info.indexOf(Number.parseInt(raw, 16)) : Number(raw);
      if (!Number.isSafeInteger(index) || index >= info.size) throw new UsageError(`--state ${raw} is out of range (indices are 0..${info.size - 1})`);
      const store = openStoreForReading(flags);
      try {
        const engine = new IntelligenceEngine(info, store);
        const result = engine.explain(index, limit);
        const tokenizer = getTokenizer();
        const rows = result.candidates.map((c: ScoreTerms) => ({ ...c, text: tokenizer.idToToken(c.token) ?? '' }));
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ ...result, candidates: rows })}\n`);
          return;
        }
        const out: string[] = [
          `state ${index} (0x${info.stateAt(index).toString(16)}), ${result.addressing === 'canonical' ? `representative ${result.rep}` : 'its own context (state addressing)'}, orbit size ${result.orbitSize}, θ ${result.theta.toFixed(4)} rad: ${rows.length} candidate(s)`,
        ];
        const table = rows.map((r, i) => [
          String(i + 1),
          String(r.token),
          r.text,
          r.conf.toFixed(4),
          String(r.exonProduct),
          r.resonance.toFixed(6),
          r.orbitFactor.toFixed(6),
          r.uniqueness.toFixed(6),
          r.score.toFixed(6),
        ]);
        const widths = COLUMNS.map((h, k) => Math.max(h.length, ...table.map((r) => r[k]!.length)));
        const line = (cells: readonly string[]) => cells.map((c, k) => (k === 2 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
        if (rows.length > 0) out.push(line(COLUMNS), ...table.map(line));
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        store.close();
      }
    });
}
