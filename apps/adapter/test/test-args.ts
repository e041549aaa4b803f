// Flags every test server gets: the shared test meta-assets (built once per machine) and few
// workers. Suites that do not exercise the shared transition table start faster without it.
import { testAssetsDir } from '@gyro/information/testing';

export async function testArgs(mode: 'stt' | 'stt-free' = 'stt'): Promise<string[]> {
  return ['--assets', await testAssetsDir(), '--workers', '2', '--engine-mode', mode];
}
