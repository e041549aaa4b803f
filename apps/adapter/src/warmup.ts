import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultAssetsDir, ensureAssets, loadInformationEngine, shareInformationEngine, type SharedEngineTables } from '@gyro/information';
import { OrbitStore } from '@gyro/store';
import type { AdapterConfig } from './config.js';

/**
 * Start-up work done once, before any worker starts and before the port opens: build the
 * meta-assets if they are missing, load the information engine once and move its tables into
 * shared memory (every worker maps the same 808 MB transition table), and create an empty public
 * store when there is none, so agents always have a public layer to read.
 */
export async function prepareEngine(config: AdapterConfig, log: (line: string) => void): Promise<SharedEngineTables> {
  const assetsDir = config.assetsDir ?? defaultAssetsDir();
  await ensureAssets(assetsDir, { onProgress: undefined });
  const t0 = performance.now();
  const engine = await loadInformationEngine(assetsDir, { mode: config.engineMode });
  const shared = shareInformationEngine(engine);
  log(`engine tables loaded from ${assetsDir} (${config.engineMode}) in ${Math.round(performance.now() - t0)} ms`);
  if (!existsSync(config.publicStore)) {
    mkdirSync(dirname(config.publicStore), { recursive: true });
    OrbitStore.open(config.publicStore).close();
    log(`no knowledge store at ${config.publicStore} yet: created an empty one (fill it with gyro ingest)`);
  }
  mkdirSync(config.privateRoot, { recursive: true });
  return shared;
}
