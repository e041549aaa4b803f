// Child process of bench/run.ts: open the store at argv[2] read-only, from its sidecar and from
// the log alone, and print the CPU milliseconds of each as JSON. Run in a separate process so
// the parent can choose its environment (GLIBC_TUNABLES=glibc.malloc.hugetlb=1).
import { OrbitStore } from '../src/index.js';

const path = process.argv[2]!;
const cpuMs = (sidecar: boolean): number => {
  const c0 = process.cpuUsage();
  const store = OrbitStore.open(path, { readOnly: true, sidecar });
  const c = process.cpuUsage(c0);
  if (sidecar && store.openInfo.source !== 'sidecar') throw new Error('the sidecar was not used');
  store.close();
  return (c.user + c.system) / 1000;
};
const sidecarMs = cpuMs(true);
const logMs = cpuMs(false);
console.log(JSON.stringify({ sidecarMs, logMs }));
