import type { DocumentPiece } from '@gyro/tokenizer';

export type SplitMode = 'line' | 'paragraph' | 'file';
export const SPLIT_MODES: readonly SplitMode[] = ['line', 'paragraph', 'file'];

/**
 * Largest piece of a document handed to the encoder at once (UTF-16 units). A longer
 * document (a 50 MB line, a whole file) is cut into pieces at the last space, tab, CR or LF
 * before this size, so memory stays bounded; BERT's ids never depend on text across those
 * characters, so the pieces encode to exactly the document's ids. A run with no such
 * character for a whole piece is cut where it is (it is far over WordPiece's 100-character
 * limit, so it would be `[UNK]` anyway; the cut may turn it into two tokens instead of one).
 */
export const MAX_PIECE = 1 << 20;

const isCutChar = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;
const NON_WHITESPACE = /[^ \t\n\r]/;

/**
 * Splits decoded text, arriving in chunks of any size, into documents: lines, paragraphs
 * (separated by lines that are empty or hold only spaces and tabs) or whole files. Documents
 * with nothing but whitespace are skipped. Emits pieces in input order.
 */
export class DocumentSplitter {
  /** Current document text not yet emitted. */
  private doc = '';
  /** Whether `doc` or emitted pieces of this document hold non-whitespace. */
  private docHasText = false;
  /** Whether a piece of the current document has been emitted (then the next is not first). */
  private docStarted = false;
  /** The current line so far (paragraph mode needs to see whole lines to spot blank ones). */
  private line = '';
  private lineHasText = false;

  constructor(
    private readonly mode: SplitMode,
    private readonly emit: (piece: DocumentPiece) => void,
  ) {}

  /** Feed the next chunk of text. */
  push(text: string): void {
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      this.addToLine(text.slice(from, nl));
      this.endLine();
      from = nl + 1;
    }
    if (from < text.length) this.addToLine(from === 0 ? text : text.slice(from));
  }

  /** End of one input file: a file always ends the current document. */
  endFile(): void {
    if (this.line.length > 0 || this.lineHasText) this.endLine();
    this.endDocument();
  }

  private addToLine(part: string): void {
    if (part.length === 0) return;
    if (!this.lineHasText && NON_WHITESPACE.test(part)) this.lineHasText = true;
    this.line += part;
    // A huge line moves into the document as it comes, so it never sits whole in memory.
    if (this.line.length >= MAX_PIECE) this.flushLine();
  }

  private flushLine(): void {
    this.appendToDocument(this.line, this.lineHasText);
    this.line = '';
  }

  private endLine(): void {
    const blank = !this.lineHasText;
    if (this.mode === 'paragraph' && blank) {
      this.line = '';
      this.endDocument();
      return;
    }
    this.flushLine();
    this.lineHasText = false;
    if (this.mode === 'line') this.endDocument();
    else this.appendToDocument('\n', false);
  }

  private appendToDocument(text: string, hasText: boolean): void {
    this.doc += text;
    if (hasText) this.docHasText = true;
    while (this.doc.length >= MAX_PIECE) this.emitHead();
  }

  /** Emit the front of an over-long document up to its last cut character. */
  private emitHead(): void {
    const doc = this.doc;
    let cut = MAX_PIECE;
    while (cut > 0 && !isCutChar(doc.charCodeAt(cut - 1))) cut--;
    if (cut === 0) {
      cut = MAX_PIECE;
      const c = doc.charCodeAt(cut - 1);
      if (c >= 0xd800 && c <= 0xdbff) cut--; // never split a surrogate pair
    }
    const head = doc.slice(0, cut);
    this.doc = doc.slice(cut);
    if (!NON_WHITESPACE.test(head)) return; // whitespace alone encodes to nothing
    this.emit({ text: head, first: !this.docStarted, last: false });
    this.docStarted = true;
  }

  private endDocument(): void {
    if (this.docHasText) this.emit({ text: this.doc, first: !this.docStarted, last: true });
    this.doc = '';
    this.docHasText = false;
    this.docStarted = false;
    this.lineHasText = false;
  }
}
