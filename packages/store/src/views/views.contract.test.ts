import { join } from 'node:path';
import { runStoreContractSuite, tempStoreDir, type SeedEntry } from '../testing.js';
import { OrbitStore } from '../orbit-store/OrbitStore.js';
import { CanonicalView } from './CanonicalView.js';
import { OverlayView } from './OverlayView.js';
import { ReadOnlyView } from './ReadOnlyView.js';

const dir = tempStoreDir();
let n = 0;
const orbit = (seed: readonly SeedEntry[] = []) => {
  const store = OrbitStore.open(join(dir, `v${n++}.bin`), { writeThreshold: 4 });
  for (const [s, t, m, c] of seed) store.put(s, t, m, c);
  return store;
};
// A synthetic phenomenology: each even/odd pair of states shares the even one as representative.
const pairs = Int32Array.from({ length: 788_986 }, (_, i) => i & ~1);

runStoreContractSuite('CanonicalView', (seed) => {
  const view = new CanonicalView(orbit(), pairs);
  for (const [s, t, m, c] of seed) view.put(s, t, m, c);
  return view;
});
runStoreContractSuite('OverlayView (seed in private, empty public)', (seed) => {
  const publicStore = orbit();
  const view = new OverlayView(publicStore, orbit(seed));
  const close = view.close.bind(view);
  view.close = () => {
    close();
    publicStore.close();
  };
  return view;
});
runStoreContractSuite('ReadOnlyView', (seed) => new ReadOnlyView(orbit(seed)), { writable: false });
runStoreContractSuite('OverlayView(ReadOnlyView(public), private) under CanonicalView', (seed) => {
  const publicStore = orbit();
  const overlay = new OverlayView(new ReadOnlyView(publicStore), orbit());
  const view = new CanonicalView(overlay, pairs);
  for (const [s, t, m, c] of seed) view.put(s, t, m, c);
  const close = view.close.bind(view);
  view.close = () => {
    close();
    publicStore.close();
  };
  return view;
});
