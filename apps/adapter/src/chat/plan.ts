import { invalidRequest, promptTooLarge } from '../errors.js';
import type { TurnRequest } from '../worker/protocol.js';
import { conversationFor } from './conversation.js';

export type ContentPart = { type: string; text?: string };
export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant';
  content: string | ContentPart[] | null;
  name?: string;
}

/** The text of a message: a string, or the text parts of a content array joined by "\n". */
export function messageText(m: ChatMessage, index: number): string {
  if (m.content === null) return '';
  if (typeof m.content === 'string') return m.content;
  return m.content
    .map((part, j) => {
      if (part.type !== 'text' || typeof part.text !== 'string') {
        throw invalidRequest(
          `messages[${index}].content[${j}] is a "${part.type}" part; only text parts are supported`,
          `messages[${index}].content[${j}].type`,
        );
      }
      return part.text;
    })
    .join('\n');
}

/**
 * SPEC §7: system (and developer) messages bootstrap the assistant once, earlier assistant
 * messages are ingested, and the last user message runs the turn. The prompt (every message's
 * text, UTF-8) must fit in maxPromptBytes: agents learn all of it, so this bounds what one
 * request can write.

 */
export function planChatTurn(
  messages: ChatMessage[],
  opts: { user: string | undefined; maxNewTokens: number | undefined; seed: number | undefined; stream: boolean; maxPromptBytes: number },
): TurnRequest {
  const system: string[] = [];
  const assistant: string[] = [];
  let last = -1;
  let bytes = 0;
  messages.forEach((m, i) => {
    const text = messageText(m, i);
    bytes += Buffer.byteLength(text);
    if (bytes > opts.maxPromptBytes) throw promptTooLarge(bytes, opts.maxPromptBytes, `messages[${i}].content`);
    if (m.role === 'system' || m.role === 'developer') system.push(text);
    else if (m.role === 'assistant') assistant.push(text);
    else last = i;
  });
  if (last < 0) throw invalidRequest('messages must contain at least one message with role "user"', 'messages', 'missing_user_message');
  const userText = messageText(messages[last]!, last);
  if (userText.trim() === '')
    throw invalidRequest(`messages[${last}].content is empty; the last user message must hold text`, `messages[${last}].content`, 'empty_content');
  return {
    conversation: conversationFor(opts.user),
    systemText: system.length ? system.join('\n') : null,
    assistantMemory: assistant.some((t) => t.trim() !== '') ? assistant.join('\n') : null,
    userText,
    maxNewTokens: opts.maxNewTokens,
    seed: opts.seed,
    stream: opts.stream,
  };
}
