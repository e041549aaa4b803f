import { runStoreContractSuite, type SeedEntry } from '@gyro/store/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { createMemoryClient, type MemoryClient } from './client.js';
import { RedisStore } from './RedisStore.js';
import { hasRedisServer, startRedisServer, type RedisServer } from './testing.js';

// The shared PhenotypeStore suite against a real redis-server on a free port.
describe.skipIf(!hasRedisServer)('RedisStore on redis-server (needs redis-server)', () => {
  let server: RedisServer;
  let client: MemoryClient;
  let n = 0;
  beforeAll(async () => {
    server = await startRedisServer();
    client = createMemoryClient(server.url);
    client.on('error', () => undefined);
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  const seeded = async (store: RedisStore, seed: readonly SeedEntry[]) => {
    for (const [s, t, m, c] of seed) store.put(s, t, m, c);
    await store.push();
    return store;
  };

  runStoreContractSuite('RedisStore (seeded, pushed)', async (seed) => seeded(await RedisStore.open(client, `contract-${++n}`), seed));
  // Seeded through one store, read by another: the whole log comes back over GETRANGE.
  runStoreContractSuite('RedisStore (reopened from Redis)', async (seed) => {
    const name = `contract-${++n}`;
    (await seeded(await RedisStore.open(client, name), seed)).close();
    return RedisStore.open(client, name);
  });
  // One record per round trip: the chunked read of a long log.
  runStoreContractSuite('RedisStore (reopened, 12-byte chunks)', async (seed) => {
    const name = `contract-${++n}`;
    (await seeded(await RedisStore.open(client, name), seed)).close();
    return RedisStore.open(client, name, { chunkBytes: 12 });
  });
});
