// Child process of huge-pages.test.ts: relaunches itself with the huge-page tunable, then (in the
// relaunched process) does what argv[2] asks so the test can watch the parent pass it through.
import { relaunchWithHugePages } from '../src/huge-pages.js';

if (!relaunchWithHugePages()) {
  const [mode, arg] = process.argv.slice(2);
  const hello = { pid: process.pid, ppid: process.ppid, tunables: process.env.GLIBC_TUNABLES ?? null, argv: process.argv.slice(2) };
  process.stdout.write(`${JSON.stringify(hello)}\n`);
  if (mode === 'exit') process.exit(Number(arg));
  if (mode === 'echo') {
    let text = '';
    process.stdin
      .setEncoding('utf8')
      .on('data', (d) => (text += d))
      .on('end', () => process.stdout.write(`echo:${text.toUpperCase()}\n`));
  }
  if (mode === 'signals') {
    let seen = 0;
    for (const s of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const)
      process.on(s, () => {
        process.stdout.write(`got:${s}\n`);
        if (++seen === Number(arg)) process.exit(0);
      });
    process.stdout.write('ready\n');
    setInterval(() => {}, 1000);
  }
  if (mode === 'die') process.kill(process.pid, 'SIGKILL');
}
