import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformationEngine } from '@gyro/information';
import { testEngine } from '@gyro/information/testing';
import { OrbitStore } from '@gyro/store';
import { GyroSI, SessionStateError, SESSION_BYTES, encodeSession, restoreSession } from '../src/index.js';
import { freshStore, licensesStream, tempDir } from './support.js';

describe('session state (what a turn continues from)', () => {
  let info: InformationEngine;
  const tmp = tempDir();
  const { bytes } = licensesStream();
  beforeAll(async () => {
    info = await testEngine();
  });
  afterAll(() => tmp.cleanup());

  // A scan cut by its time budget makes any reply timing-dependent (a cold process can take
  // longer than 20 ms): replies compare exactly only without such cuts.
  const preferences = { scanBudgetMs: 60_000 };

  it('an agent restored elsewhere from its store and session answers exactly as the original', () => {
    const a = new GyroSI(info, freshStore(tmp.dir, 'a.bin'), { seed: 5, preferences });
    a.ingest(bytes);
    a.respondText('what is a license?');
    a.ingest(bytes.subarray(0, 7)); // leaves an unfinished token behind
    const session = encodeSession(a.engine);
    expect(session.length).toBe(SESSION_BYTES);
    a.flush();
    copyFileSync(join(tmp.dir, 'a.bin'), join(tmp.dir, 'b.bin'));
    const b = new GyroSI(info, OrbitStore.open(join(tmp.dir, 'b.bin')), { seed: 999, preferences }); // another seed: the session must override it
    restoreSession(b.engine, session);
    expect(b.agentInfo().stateIndex).toBe(a.agentInfo().stateIndex);
    expect(b.engine.pendingTokenBytes).toBe(a.engine.pendingTokenBytes);
    expect(b.engine.theta.values()).toEqual(a.engine.theta.values());
    for (const prompt of ['the software is provided as is', 'you may copy it', 'warranty']) {
      const ra = a.respondText(prompt);
      const rb = b.respondText(prompt);
      expect(rb.tokens).toEqual(ra.tokens);
    }
    expect(a.engine.counters.budgetCutoffs + b.engine.counters.budgetCutoffs).toBe(0);
    // Without the session, the same store and seed answers differently (the test can fail).
    const c = new GyroSI(info, OrbitStore.open(join(tmp.dir, 'c.bin')), { seed: 999 });
    expect(encodeSession(c.engine)).not.toEqual(session);
    a.close();
    b.close();
    c.close();
  });

  it('refuses bytes it did not write', () => {
    const a = new GyroSI(info, freshStore(tmp.dir, 'd.bin'));
    const s = encodeSession(a.engine);
    expect(() => restoreSession(a.engine, s.subarray(0, 100))).toThrow(SessionStateError);
    const other = s.slice();
    other[0] = 9;
    expect(() => restoreSession(a.engine, other)).toThrow(SessionStateError);
    const far = s.slice();
    new DataView(far.buffer).setUint32(4, 4_000_000, true);
    expect(() => restoreSession(a.engine, far)).toThrow(/outside the ontology/);
    a.close();
  });
});
