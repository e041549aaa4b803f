// Tests run the real server from dist/ (its worker threads load built JS), so build the adapter
// and everything it depends on first. turbo's cache makes this quick when nothing changed.
import { execFileSync } from 'node:child_process';
import { repoRoot } from '@gyro/tooling/golden';

export default function setup(): void {
  // GYRO_TEST_NO_BUILD=1 skips the build when you have just built (quicker edit-test loops).
  if (process.env.GYRO_TEST_NO_BUILD === '1') return;
  execFileSync('pnpm', ['turbo', 'run', 'build', '--filter=@gyro/adapter...', '--output-logs=errors-only'], { cwd: repoRoot, stdio: 'inherit' });
}
