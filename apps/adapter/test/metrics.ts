// The server's own view of its turns, read from /metrics: what tests wait on instead of a clock.

const scrape = async (url: string, headers?: Record<string, string>) => (await fetch(`${url}/metrics`, { headers })).text();

/** Turns queued or running, by worker (`headers`: e.g. the server's API key). */
export async function turnsInFlight(url: string, headers?: Record<string, string>): Promise<number[]> {
  const text = await scrape(url, headers);
  const byWorker: number[] = [];
  for (const m of text.matchAll(/^gyro_turns_in_flight\{worker="(\d+)"\} (\d+)$/gm)) byWorker[Number(m[1])] = Number(m[2]);
  return Array.from(byWorker, (n) => n ?? 0);
}

/** Turns finished, by outcome (ok, deadline, engine, cancelled, worker_restarted, storage). */
export async function turnOutcomes(url: string, headers?: Record<string, string>): Promise<Record<string, number>> {
  const text = await scrape(url, headers);
  return Object.fromEntries([...text.matchAll(/^gyro_turn_outcomes_total\{outcome="(\w+)"\} (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
}

/** Poll the server until `done` holds (no sleep: each scrape is a round trip to the server). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
  }
}

export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
