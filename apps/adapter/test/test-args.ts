// Flags every test server gets: the shared test meta-assets (built once per machine) and few workers.
import { testAssetsDir } from '@gyro/information/testing';

export async function testArgs(): Promise<string[]> {
  return ['--assets', await testAssetsDir(), '--workers', '2'];
}
