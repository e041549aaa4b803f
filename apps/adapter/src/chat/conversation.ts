import { createHash } from 'node:crypto';
import type { Conversation } from '../worker/protocol.js';

/** The pool's own triad: requests that name no user share it (as the reference does). */
export const DEFAULT_CONVERSATION: Conversation = { key: '', user: 'user', system: 'system', assistant: 'assistant' };

const SAFE = /^[A-Za-z0-9_-]{1,48}$/;

/**
 * The agents of a conversation. A request that names a `user` (OpenAI's end-user id) gets its
 * own triad `user-<id>`, `system-<id>`, `assistant-<id>`, so different end-users learn apart and
 * their turns run in parallel; ids that are not file-name safe are replaced by a hash.
 */
export function conversationFor(user: string | undefined): Conversation {
  if (user === undefined || user === '') return DEFAULT_CONVERSATION;
  const id = SAFE.test(user) ? user : `h${createHash('sha256').update(user).digest('hex').slice(0, 24)}`;
  return { key: id, user: `user-${id}`, system: `system-${id}`, assistant: `assistant-${id}` };
}
