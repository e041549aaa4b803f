import { DEFAULT_TRACE_TOP } from '@gyro/intelligence';

/**
 * The opt-in look-inside trace of a chat turn: `"gyro": {"trace": true, "trace_top"?: K}` in a
 * chat request. A streamed reply then carries one extra chunk per generated token, before the
 * text it produces, `{"object": "chat.completion.chunk", "choices": [], "gyro": {"trace": T}}`;
 * a plain reply carries `"gyro": {"trace": [T, …]}`. T has the field names of `gyro explain --json`.
 */
export const gyroFieldSchema = {
  type: 'object',
  properties: {
    trace: { type: 'boolean' },
    trace_top: { type: 'integer', minimum: 1, maximum: 100 },
  },
} as const;

export interface GyroField {
  trace?: boolean;
  trace_top?: number;
}

/** Candidates per traced token the request asks for; 0 when it asks for no trace. */
export function traceTopOf(gyro: GyroField | null | undefined): number {
  return gyro?.trace === true ? (gyro.trace_top ?? DEFAULT_TRACE_TOP) : 0;
}
