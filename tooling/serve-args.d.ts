/** Settings of a test or bench server, by the adapter's setting keys; each given one becomes its flag. */
export interface ServeSettings {
  host?: string;
  /** 0: a port the OS picks (tests never hard-code one). */
  port?: number;
  assets?: string;
  store?: string;
  agents?: string;
  workers?: number;
  workerNice?: number;
  engineMode?: 'stt' | 'stt-free';
  logLevel?: 'silent' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
}
/** `--flag value` pairs for the given settings, for `gyro serve` or `node apps/adapter/dist/cli.js`. */
export declare function serveArgs(settings: ServeSettings): string[];
