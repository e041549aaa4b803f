import { join } from 'node:path';
import { runStoreContractSuite, tempStoreDir, type SeedEntry } from '../testing.js';
import { OrbitStore } from './OrbitStore.js';

const dir = tempStoreDir();
let n = 0;
const fresh = (seed: readonly SeedEntry[], writeThreshold = 3) => {
  const store = OrbitStore.open(join(dir, `s${n++}.bin`), { writeThreshold });
  for (const [s, t, m, c] of seed) store.put(s, t, m, c);
  return store;
};
const reopened = (seed: readonly SeedEntry[], sidecar: boolean) => {
  const first = fresh(seed);
  first.close();
  return OrbitStore.open(first.path, { sidecar });
};

runStoreContractSuite('OrbitStore', (seed) => fresh(seed));
runStoreContractSuite('OrbitStore, writeThreshold 1', (seed) => fresh(seed, 1));
runStoreContractSuite('OrbitStore reopened through its sidecar', (seed) => reopened(seed, true));
runStoreContractSuite('OrbitStore reopened from the log alone', (seed) => reopened(seed, false));
runStoreContractSuite(
  'OrbitStore opened read-only',
  (seed) => {
    const first = fresh(seed);
    first.close();
    return OrbitStore.open(first.path, { readOnly: true });
  },
  { writable: false },
);
runStoreContractSuite('OrbitStore with state addressing', (seed) => {
  const store = OrbitStore.open(join(dir, `s${n++}.bin`), { writeThreshold: 3, addressing: 'state' });
  for (const [s, t, m, c] of seed) store.put(s, t, m, c);
  return store;
});
