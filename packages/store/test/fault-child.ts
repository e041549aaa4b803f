// A child process for the fault tests (src/orbit-store/faults.test.ts): one mode per run.
import { OrbitStore } from '../src/index.js';

const [mode, path, arg] = process.argv.slice(2) as [string, string, string | undefined];
const say = (line: string) => process.stdout.write(`${line}\n`);
/** The value every writer puts for key i, so readers can check any entry they see. */
const keyOf = (i: number) => [i % 1000, i] as const;
const maskOf = (i: number) => i & 0xfe;
const confOf = (i: number) => (i % 997) / 997;

switch (mode) {
  case 'full-disk': {
    // On a 1 MiB tmpfs: a 540 KB log fits, its sidecar (about 1 MB) does not, nor a compacted copy.
    const { readdirSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    const files = () => readdirSync(dirname(path)).sort();
    const store = OrbitStore.open(path, { writeThreshold: 4096 });
    for (let i = 0; i < 45_000; i++) store.put(...keyOf(i), maskOf(i), confOf(i));
    store.close(); // the sidecar cannot be written: never fatal
    say(JSON.stringify({ step: 'close', files: files() }));
    const again = OrbitStore.open(path);
    try {
      again.rewrite();
      say(JSON.stringify({ step: 'rewrite', error: null }));
    } catch (err) {
      say(JSON.stringify({ step: 'rewrite', error: (err as { code?: string }).code, message: (err as Error).message, files: files(), size: again.size }));
    }
    again.close();
    say(JSON.stringify({ step: 'end', files: files() }));
    break;
  }
  case 'writer': {
    // Puts until killed (at most 200,000 keys), 1000 at a time, each thousand flushed durably
    // and announced on stdout; a 5 ms pause between thousands keeps the file growing slowly.
    const store = OrbitStore.open(path, { writeThreshold: Number(arg ?? 100) });
    let i = 0;
    const burst = () => {
      for (let k = 0; k < 1000; k++, i++) store.put(...keyOf(i), maskOf(i), confOf(i));
      store.flush();
      say(`flushed ${i}`);
      setTimeout(burst, i < 200_000 ? 5 : 60_000);
    };
    burst();
    break;
  }
  case 'hold': {
    OrbitStore.open(path);
    say('ready');
    setInterval(() => {}, 1000);
    break;
  }
  case 'try-open': {
    try {
      OrbitStore.open(path).close();
      say('opened');
    } catch (err) {
      say(`${(err as { code?: string }).code} ${(err as Error).message}`);
    }
    break;
  }
  case 'exit-natural': {
    // Below the write threshold and never closed: the exit hook must write and fsync.
    const store = OrbitStore.open(path, { writeThreshold: 100 });
    for (let i = 0; i < 10; i++) store.put(...keyOf(i), maskOf(i), confOf(i));
    say('done');
    break;
  }
  case 'exit-signal': {
    const store = OrbitStore.open(path, { writeThreshold: 100 });
    for (let i = 0; i < 10; i++) store.put(...keyOf(i), maskOf(i), confOf(i));
    say('ready');
    setInterval(() => {}, 1000);
    break;
  }
  case 'file-size-limit': {
    // Run under `ulimit -f`: appends fail with EFBIG part-way through a batch.
    const store = OrbitStore.open(path, { writeThreshold: 10 });
    let ok = 0;
    let error = '';
    try {
      for (let i = 0; i < 1000; i++) {
        store.put(...keyOf(i), maskOf(i), confOf(i));
        ok++;
      }
    } catch (err) {
      error = (err as { code?: string }).code ?? String(err);
    }
    let retry = '';
    try {
      store.commit();
    } catch (err) {
      retry = (err as { code?: string }).code ?? String(err);
    }
    say(JSON.stringify({ ok, error, retry, size: store.size, stats: store.stats() }));
    try {
      store.close();
    } catch (err) {
      say(`close ${(err as { code?: string }).code}`);
    }
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
