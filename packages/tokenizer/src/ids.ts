/** Special token ids of the BERT-uncased vocabulary (SPEC §3). */
export const PAD_ID = 0;
export const UNK_ID = 100;
export const CLS_ID = 101;
export const SEP_ID = 102;
export const MASK_ID = 103;

/** Largest id the wire format carries (ids are below 2^32, SPEC §3). */
export const MAX_TOKEN_ID = 0xffff_ffff;
