// A knowledge store that has learned the golden licence texts, for suites whose replies should
// come from knowledge rather than the fallback. Built in-process with the intelligence package.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEngine } from '@gyro/information/testing';
import { GyroSI } from '@gyro/intelligence';
import { OrbitStore } from '@gyro/store';
import { goldenText } from '@gyro/tooling/golden';

export async function learnedStoreDir(prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const agent = new GyroSI(await testEngine(), OrbitStore.open(join(dir, 'knowledge.bin')));
  for (const line of goldenText('licenses_docs.txt').split('\n')) if (line.trim()) agent.ingestText(line);
  agent.close();
  return dir;
}
