export { wordnetGlosses, WORDNET_PARTS } from './wordnet.js';
