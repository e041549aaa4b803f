import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where `gyro` keeps its knowledge store when no path is given: `$GYRO_STORE` if set, else
 * `$GYRO_HOME/knowledge.bin`, else `$XDG_DATA_HOME/gyro/knowledge.bin`, else
 * `~/.local/share/gyro/knowledge.bin` (the XDG default data folder).
 */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GYRO_STORE) return env.GYRO_STORE;
  if (env.GYRO_HOME) return join(env.GYRO_HOME, 'knowledge.bin');
  const data = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(data, 'gyro', 'knowledge.bin');
}
