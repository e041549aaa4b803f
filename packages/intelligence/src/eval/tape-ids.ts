import { TOKEN_PENDING, TokenAssembler } from '../egress/token-assembler.js';

/**
 * The token ids of masked wire bytes, read as the engine reads them (malformed and oversize
 * tokens dropped, a token cut off by the end ignored).
 */
export function tapeTokenIds(bytes: Uint8Array, maxTokenBytes = 1024): Uint32Array {
  const asm = new TokenAssembler(maxTokenBytes);
  let ids = new Uint32Array(Math.max(16, bytes.length >>> 1));
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const r = asm.push(bytes[i]! ^ 0xaa, 0);
    if (r === TOKEN_PENDING || r < 0) continue;
    if (n === ids.length) {
      const grown = new Uint32Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    ids[n++] = r;
  }
  return ids.slice(0, n);
}
