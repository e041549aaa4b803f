/** One candidate of a traced decision, as the server sends it (the fields of `gyro explain --json`, plus probability). */
export interface Candidate {
  token: number;
  text: string;
  mask: number;
  conf: number;
  exonProduct: number;
  resonance: number;
  orbitFactor: number;
  uniqueness: number;
  score: number;
  probability: number;
}

/** One generated token's trace (`gyro.trace` of a chat completion chunk). */
export interface Trace {
  token: number;
  text: string;
  stateIndex: number;
  rep: number;
  /** The state the store keys candidates under (= rep in a canonical store). */
  context: number;
  orbitSize: number;
  theta: number;
  temperature: number;
  fallback: boolean;
  chosenRank: number;
  candidateCount: number;
  complete: boolean;
  candidates: Candidate[];
}

/** An OpenAI error body. */
export interface ApiErrorBody {
  error: { message: string; type?: string; code?: string | null; param?: string | null };
}
