import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetError } from '../errors.js';
import { loadInformationEngine } from '../engine/load.js';
import { testAssetsDir } from '../testing.js';
import { contentHash } from './content-hash.js';
import { ensureAssets } from './ensure.js';
import { ASSET_FILES, MANIFEST_FILE } from './files.js';
import { manifestMatches, readManifest } from './manifest.js';
import { readNpy } from './npy.js';

const work = mkdtempSync(join(tmpdir(), 'gyro-assets-content-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let built: string;
const STAMP = 1_700_000_000; // seconds
let n = 0;

/** A copy of the built assets (the 808 MB table hard-linked, never changed here). */
function copyOfAssets(): string {
  const dir = join(work, `a${n++}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const name of [...ASSET_FILES, MANIFEST_FILE]) {
    if (name === 'epistemology.npy') linkSync(join(built, name), join(dir, name));
    else copyFileSync(join(built, name), join(dir, name));
  }
  // Whole-second mtimes recorded in the copy's manifest, so corrupt() can put them back exactly
  // (the hard-linked table keeps the original's: touching it would touch the original).
  const m = readManifest(dir)!;
  for (const name of ASSET_FILES) {
    if (name === 'epistemology.npy') continue;
    utimesSync(join(dir, name), STAMP, STAMP);
    m.files[name]!.mtimeMs = statSync(join(dir, name)).mtimeMs;
  }
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(m));
  return dir;
}

/** Change one byte of a file's data (past its 128-byte .npy header), keeping its size and mtime. */
function corrupt(dir: string, name: string, at: number): void {
  const path = join(dir, name);
  const bytes = readFileSync(path);
  bytes[128 + at]! ^= 0x01;
  writeFileSync(path, bytes);
  utimesSync(path, STAMP, STAMP);
}

beforeAll(async () => {
  built = await testAssetsDir();
}, 600_000);

describe('assets are checked by content at load', () => {
  it('the build records a content hash of every file, equal to the hash of what a load reads', () => {
    const m = readManifest(built)!;
    for (const name of ASSET_FILES) expect(m.files[name]?.contentHash).toMatch(/^[0-9a-f]{16}$/);
    for (const name of ['theta.npy', 'orbit_sizes.npy', 'phenomenology_map.npy'] as const) {
      expect(contentHash(readNpy(join(built, name)).data)).toBe(m.files[name]!.contentHash);
    }
  });

  it('an untouched copy loads in both modes (the table hashed by the build worker agrees with the load)', () => {
    const dir = copyOfAssets();
    expect(manifestMatches(dir)).toBe(true);
    expect(loadInformationEngine(dir, { mode: 'stt-free' }).size).toBe(788_986);
    expect(loadInformationEngine(dir, { mode: 'stt' }).size).toBe(788_986);
  });

  it.each([
    ['theta.npy', 4 * 123_456 + 1],
    ['phenomenology_map.npy', 4 * 500_000],
    ['orbit_sizes.npy', 4 * 788_985 + 3],
    ['ontology_keys.npy', 8 * 77_777 + 6],
  ])('a corrupted %s with its size and mtime kept is refused: ASSET_CORRUPT naming the file', async (name, at) => {
    const dir = copyOfAssets();
    corrupt(dir, name, at);
    expect(manifestMatches(dir)).toBe(true); // the cheap stamp cannot see it …
    expect((await ensureAssets(dir)).built).toBe(false);
    let caught: unknown;
    try {
      loadInformationEngine(dir, { mode: 'stt-free' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AssetError); // … the load does
    expect(caught).toMatchObject({ code: expect.stringMatching(/^ASSET_CORRUPT$/) });
    expect((caught as Error).message).toContain(join(dir, name));
    expect((caught as Error).message).toMatch(/contents changed since it was built|not a state of this physics|not sorted/);
  });
});
