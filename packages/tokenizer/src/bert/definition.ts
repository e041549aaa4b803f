/**
 * The complete bert-base-uncased tokenizer definition in Hugging Face `tokenizer.json` form,
 * built in code from the converted vocabulary (the same pipeline as the hub's file).
 */
import { CLS_ID, MASK_ID, PAD_ID, SEP_ID, UNK_ID } from '../ids.js';

/** A Hugging Face tokenizer.json object (only the parts we read are typed). */
export interface TokenizerJson {
  model: { type: string; vocab?: unknown; unk_token?: string; [key: string]: unknown };
  added_tokens?: Array<{ id: number; content: string; special?: boolean; [key: string]: unknown }>;
  normalizer?: unknown;
  pre_tokenizer?: unknown;
  post_processor?: unknown;
  decoder?: unknown;
  [key: string]: unknown;
}

/** The tokenizer_config.json the library also takes (BERT's, as on the hub). */
export type TokenizerConfig = Record<string, unknown>;

const SPECIALS: ReadonlyArray<readonly [string, number]> = [
  ['[PAD]', PAD_ID],
  ['[UNK]', UNK_ID],
  ['[CLS]', CLS_ID],
  ['[SEP]', SEP_ID],
  ['[MASK]', MASK_ID],
];

/** `vocab[id]` is the WordPiece token of `id`. */
export function bertUncasedDefinition(vocab: readonly string[]): TokenizerJson {
  // The token → id object (30,522 keys) is what the library's constructor reads; it is built on
  // first access, so a process that never needs the library (plain-ASCII text) never pays for it.
  let vocabMap: Record<string, number> | undefined;
  const buildVocabMap = () => {
    const map: Record<string, number> = Object.create(null);
    vocab.forEach((token, id) => {
      map[token] = id;
    });
    return map;
  };
  const special = (id: '[CLS]' | '[SEP]', typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map(([content, id]) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      get vocab() {
        return (vocabMap ??= buildVocabMap());
      },
    },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0), sequence('B', 1), special('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [CLS_ID], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [SEP_ID], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  };
}

export const BERT_UNCASED_CONFIG: TokenizerConfig = {
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  tokenize_chinese_chars: true,
  strip_accents: null,
  clean_up_tokenization_spaces: true,
  model_max_length: 512,
  unk_token: '[UNK]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  cls_token: '[CLS]',
  mask_token: '[MASK]',
};
