export interface RunProcessOptions {
  cwd?: string | undefined;
  /** The whole environment of the child (this process's when absent). */
  env?: NodeJS.ProcessEnv | undefined;
  /** Written to stdin, which is then closed (closed at once when absent). */
  input?: string | Buffer | undefined;
  /** Milliseconds after which the child is killed (SIGKILL); none when absent. */
  timeout?: number | undefined;
}
export interface ProcessResult {
  /** The exit code; null when a signal ended the child. */
  code: number | null;
  signal: NodeJS.Signals | null;
  pid: number | undefined;
  stdout: string;
  stderr: string;
}
/** Run `command args` to completion, asynchronously; rejects only when it cannot start. */
export declare function runProcess(command: string, args: string[], opts?: RunProcessOptions): Promise<ProcessResult>;
