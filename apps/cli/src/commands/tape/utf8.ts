/**
 * UTF-8 → string for a stream of byte chunks, identical to `TextDecoder` with `stream: true`
 * (invalid sequences become U+FFFD) but through the fast non-streaming decoder: each chunk is
 * decoded up to its last complete character and the bytes of a character cut by the chunk
 * boundary are carried into the next chunk. (The streaming mode of Node's TextDecoder runs
 * several times slower on large chunks.)
 */
export class Utf8Stream {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private carry: Uint8Array = new Uint8Array(0);

  write(chunk: Uint8Array): string {
    const bytes = this.carry.length > 0 ? concat(this.carry, chunk) : chunk;
    const cut = completeLength(bytes);
    this.carry = bytes.slice(cut);
    return this.decoder.decode(bytes.subarray(0, cut));
  }

  /** End of stream: an unfinished character becomes U+FFFD. */
  end(): string {
    const rest = this.carry;
    this.carry = new Uint8Array(0);
    return rest.length > 0 ? this.decoder.decode(rest) : '';
  }
}

/** Length of the longest prefix that does not end inside a multi-byte character. */
export function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  // Look back at most 3 bytes for the lead byte of the last character.
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!;
    if (b < 0x80) return n; // ASCII: complete
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      // A lead byte whose sequence is not finished is carried; a finished or invalid one is not.
      return b < 0xf5 && back < need ? n - back : n;
    }
  }
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
