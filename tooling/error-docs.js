// fastify checks that its error docs list every code (test/internals/errors.test.js); this is the
// same check for a gyro package: every code of its `as const` code object must appear in its
// README in backticks.
import { readFileSync } from 'node:fs';

/** The codes of `codes` (an `as const` object or an array) that `readmePath` does not mention as `CODE`. */
export function undocumentedCodes(codes, readmePath) {
  const text = readFileSync(readmePath, 'utf8');
  const list = Array.isArray(codes) ? codes : Object.values(codes);
  return list.filter((code) => !text.includes(`\`${code}\``));
}
