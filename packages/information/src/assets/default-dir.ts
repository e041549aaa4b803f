import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where assets live unless told otherwise: $GYRO_ASSETS, else $XDG_CACHE_HOME/gyro/assets, else ~/.cache/gyro/assets. */
export function defaultAssetsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GYRO_ASSETS) return env.GYRO_ASSETS;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'gyro', 'assets');
  return join(homedir(), '.cache', 'gyro', 'assets');
}
