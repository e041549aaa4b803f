import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@gyro/tooling/golden';
import { runProcess } from '@gyro/tooling/run';
import { ARCHETYPE_STATE } from '../physics/machine.js';
import { testEngine } from '../testing.js';
import type { InformationEngine } from '../engine/types.js';
import { npyHeader } from './npy.js';
import { buildOntology, type Ontology } from './ontology.js';
import { writeSttInWorker } from './stt-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'gyro-stt-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let ontology: Ontology;
let engine: InformationEngine;
beforeAll(async () => {
  ontology = buildOntology(ARCHETYPE_STATE);
  engine = await testEngine('stt-free');
});

/** Rows [from, from + count) as the worker writes them, compared with the engine's next(). */
function expectRows(bytes: Uint8Array, from: number, count: number): void {
  const rows = new Int32Array(bytes.buffer, bytes.byteOffset, count * 256);
  const wrong: string[] = [];
  for (let r = 0; r < count; r++) for (let i = 0; i < 256; i++) if (rows[r * 256 + i] !== engine.next(from + r, i)) wrong.push(`row ${from + r} intron ${i}`);
  expect(wrong).toEqual([]);
}

describe('writeSttInWorker', () => {
  it('writes header + rows (more than one chunk) with a matching hash and progress', async () => {
    const from = 500_000;
    const count = 9000;
    const header = npyHeader('<i4', [count, 256]);
    const path = join(dir, 'part.npy');
    const w = writeSttInWorker(path, header, ontology.halves.subarray(from, from + count), ontology.index);
    const r = await w.done;
    const file = readFileSync(path);
    expect(r.size).toBe(header.length + count * 1024);
    expect(file.length).toBe(r.size);
    expect(w.rowsWritten()).toBe(count);
    const { createHash } = await import('node:crypto');
    expect(r.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(Array.from(file.subarray(0, header.length))).toEqual(Array.from(header));
    expectRows(file.subarray(header.length), from, count);
  });

  it('also runs when the parent process is an ES-module eval (--input-type=module)', async () => {
    const path = join(dir, 'esm.npy');
    const src = new URL('./stt-writer.ts', import.meta.url).href;
    const ont = new URL('./ontology.ts', import.meta.url).href;
    const code = `
      const { writeSttInWorker } = await import(${JSON.stringify(src)});
      const { buildOntology } = await import(${JSON.stringify(ont)});
      const o = buildOntology(${ARCHETYPE_STATE});
      const r = await writeSttInWorker(${JSON.stringify(path)}, new Uint8Array(0), o.halves.subarray(0, 100), o.index).done;
      console.log(r.size);`;
    const p = await runProcess(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: repoRoot });
    expect(p.stderr).toBe('');
    expect(p.stdout.trim()).toBe(String(100 * 1024));
    expectRows(readFileSync(path), 0, 100);
  });

  it('reports a failure to write as a rejected promise', async () => {
    const w = writeSttInWorker(join(dir, 'no', 'such', 'dir', 'x.npy'), new Uint8Array(0), ontology.halves.subarray(0, 10), ontology.index);
    await expect(w.done).rejects.toThrow(/no.such.dir.*ENOENT|ENOENT/);
  });
});
