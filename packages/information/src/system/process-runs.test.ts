import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processRuns } from './process-runs.js';

describe('processRuns', () => {
  it('is true for this process and false for one that has ended', () => {
    expect(processRuns(process.pid)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', '']);
    expect(child.status).toBe(0);
    expect(processRuns(child.pid!)).toBe(false);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('is true for a process of another user (EPERM)', () => {
    expect(processRuns(1)).toBe(true); // init runs as root
  });
});
