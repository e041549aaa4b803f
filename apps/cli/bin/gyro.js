#!/usr/bin/env node
import('../dist/main.js')
  .then((m) => m.main(process.argv))
  .catch((err) => {
    console.error(`gyro: ${err?.message ? err.message : err}`);
    if (String(err?.message).includes('Cannot find module'))
      console.error('gyro: the CLI is not built; run `pnpm install` (or `pnpm build`) at the repository root');
    process.exitCode = 1;
  });
