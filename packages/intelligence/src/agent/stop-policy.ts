import type { Preferences } from '../preferences.js';

/** Why a reply ended (SPEC §6.4). */
export type StopReason =
  /** The agent emitted [SEP] itself. */
  | 'sep'
  /** The caller's maxNewTokens was reached. */
  | 'max-tokens'
  /** The target length was reached and the text ends a sentence. */
  | 'sentence'
  /** The target length was reached mid-sentence: [SEP] appended. */
  | 'target'
  /** The wall-time guard fired: [SEP] appended. */
  | 'wall-time'
  /** θ settled (std of the last 8 below epsilon): [SEP] appended. */
  | 'theta-settled'
  /** The caller's stopAfter asked to stop (a stop string was reached): [SEP] appended. */
  | 'caller'
  /** The caller cancelled the reply (its client went away): [SEP] appended, so memory ends at a boundary. */
  | 'cancelled';

/** Stop reasons after which the agent appends and learns a [SEP] of its own. */
export const APPENDS_SEP: ReadonlySet<StopReason> = new Set<StopReason>(['target', 'wall-time', 'theta-settled', 'caller', 'cancelled']);

/** target = clamp(floor(ratio·promptTokens + 2), minReplyTokens, maxReplyTokens). */
export function replyTarget(promptTokens: number, p: Preferences): number {
  const t = Math.floor(p.replyLenRatio * promptTokens + 2);
  return Math.min(p.maxReplyTokens, Math.max(p.minReplyTokens, t));
}

/** Characters that end a sentence for the natural stop. */
export function endsSentence(text: string): boolean {
  if (text.length === 0) return false;
  return '.!?…\n'.includes(text[text.length - 1]!);
}

/** Tokens in a masked byte stream: bytes whose intron has bit 7 clear end one. */
export function countTokens(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (((bytes[i]! ^ 0xaa) & 0x80) === 0) n++;
  return n;
}
