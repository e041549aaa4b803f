// Preferences that make every reply long: `tokens` tokens (or the wall-time guard first), never
// an early stop on a sentence end or a settled θ. Used to hold turns in flight on purpose.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function longTurnPreferences(wallMs: number, tokens: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'gyro-prefs-')), 'preferences.json');
  writeFileSync(path, JSON.stringify({ agent: { minReplyTokens: tokens, maxReplyTokens: tokens, thetaStdEpsilon: 0, maxWallTimeMs: wallMs } }));
  return path;
}
