// The server's own view of its turns, read from /metrics: what tests wait on instead of a clock.

/** One scrape: turns queued or running by worker, and turns finished by outcome (ok, deadline, engine, cancelled, worker_restarted, storage). `headers`: e.g. the server's API key. */
export async function turnMetrics(url: string, headers?: Record<string, string>): Promise<{ inFlight: number[]; outcomes: Record<string, number> }> {
  const text = await (await fetch(`${url}/metrics`, headers ? { headers } : {})).text();
  const byWorker: number[] = [];
  for (const m of text.matchAll(/^gyro_turns_in_flight\{worker="(\d+)"\} (\d+)$/gm)) byWorker[Number(m[1])] = Number(m[2]);
  const outcomes = Object.fromEntries([...text.matchAll(/^gyro_turn_outcomes_total\{outcome="(\w+)"\} (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
  return { inFlight: Array.from(byWorker, (n) => n ?? 0), outcomes };
}

export const turnsInFlight = async (url: string, headers?: Record<string, string>) => (await turnMetrics(url, headers)).inFlight;
export const turnOutcomes = async (url: string, headers?: Record<string, string>) => (await turnMetrics(url, headers)).outcomes;

/** Poll the server until `done` holds (no sleep: each read is a round trip to the server). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
  }
}

export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
