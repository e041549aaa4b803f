import type { WireTrace } from '../src/worker/protocol.js';

/** One generated token's trace (`gyro.trace` of a chat completion chunk): the server's own type. */
export type Trace = WireTrace;
/** One candidate of a traced decision (the fields of `gyro explain --json`, plus text and probability). */
export type Candidate = WireTrace['candidates'][number];

/** An OpenAI error body. */
export interface ApiErrorBody {
  error: { message: string; type?: string; code?: string | null; param?: string | null };
}
