// Flags every test server gets: the shared test meta-assets (built once per machine) and few
// workers. Suites that do not exercise the shared transition table start faster without it.
import { testAssetsDir } from '@gyro/information/testing';
import { serveArgs, type ServeSettings } from '@gyro/tooling/serve-args';

export async function testArgs(mode: 'stt' | 'stt-free' = 'stt', settings: ServeSettings = {}): Promise<string[]> {
  return serveArgs({ assets: await testAssetsDir(), workers: 2, engineMode: mode, ...settings });
}
