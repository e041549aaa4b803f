import { SEP_BYTES } from '@gyro/tokenizer';
import type { Reply, RespondOptions } from './agent/GyroSI.js';
import type { AgentPool } from './pool/AgentPool.js';

/**
 * One conversational turn (SPEC §6.4): the user agent ingests the encoded text, the assistant
 * responds to that text plus one [SEP], and the reply is decoded. Both agents must exist or be
 * allowed in the pool (UnknownAgentError otherwise). Returns the whole reply (text, tokens,
 * usage counts, stop reason).
 */
export function orchestrateTurn(pool: AgentPool, userId: string, assistantId: string, text: string, options: RespondOptions = {}): Reply {
  const user = pool.get(userId);
  const bytes = user.encode(text);
  user.ingest(bytes);
  // Fetched after the user has learned, so a small pool evicting one for the other loses nothing.
  const assistant = pool.get(assistantId);
  const stimulus = new Uint8Array(bytes.length + SEP_BYTES.length);
  stimulus.set(bytes, 0);
  stimulus.set(SEP_BYTES, bytes.length);
  return assistant.respond(stimulus, options);
}
