import { createRequire } from 'node:module';
import { Command } from 'commander';
import { reportFailure } from './lib/fail.js';
import { commands } from './commands/index.js';

/** Build the `gyro` program; each command family registers itself from its own file. */
export function buildProgram(): Command {
  const program = new Command('gyro')
    .description('GyroSI: the weightless physics language model')
    .version((createRequire(import.meta.url)('../package.json') as { version: string }).version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  for (const register of commands) register(program);
  program.exitOverride();
  return program;
}

/**
 * Process warnings (a store rebuilding its index from a damaged sidecar, say) are one
 * `gyro: warning:` line like every other message, not Node's two-line warning with its
 * `--trace-warnings` hint.
 */
function printWarningsAsLines(): void {
  process.removeAllListeners('warning');
  process.on('warning', (w) => process.stderr.write(`gyro: warning: ${w.message.split('\n')[0]}\n`));
}

export async function main(argv: string[]): Promise<void> {
  printWarningsAsLines();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    // commander's own exits (help, version, usage errors) have already printed their text.
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
      process.exitCode = e.exitCode ?? 1;
      return;
    }
    process.exitCode = reportFailure(err);
  }
}
