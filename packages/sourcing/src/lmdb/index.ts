// @eventum/sourcing/lmdb: recorders in an LMDB file (wraps lmdb-js).
export { createLmdbRecorders, lmdbConfigSchema } from './lmdb-recorders.js';
export type { LmdbRecorderOptions } from './lmdb-recorders.js';
