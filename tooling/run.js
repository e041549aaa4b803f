// Run a command to completion without blocking the event loop. Tests use this, never spawnSync,
// for anything that takes more than a moment: a synchronous spawn freezes the vitest worker for
// the whole run, and runs back to back starve its RPC to the runner past the 60 s timeout
// ("[vitest-worker]: Timeout calling onTaskUpdate", vitest-dev/vitest#8164), failing a suite
// whose tests all passed.
import { spawn } from 'node:child_process';

/** Run `command args` to completion: { code, signal, pid, stdout, stderr } (types in run.d.ts). */
export function runProcess(command, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (d) => stdout.push(d));
    child.stderr.on('data', (d) => stderr.push(d));
    const timer = opts.timeout ? setTimeout(() => child.kill('SIGKILL'), opts.timeout) : undefined;
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // A child that exits without reading all its input closes the pipe: its exit code tells.
    child.stdin.on('error', () => {});
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const text = (chunks) => Buffer.concat(chunks).toString('utf8');
      resolve({ code, signal, pid: child.pid, stdout: text(stdout), stderr: text(stderr) });
    });
    child.stdin.end(opts.input);
  });
}
