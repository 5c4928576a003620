// @eventum/sourcing/lmdb: recorders in an LMDB file (wraps lmdb-js).
export { createLmdbRecorders } from './lmdb-recorders.js';
export { lmdbConfigSchema } from '../persistence-schemas.js';
export type { LmdbRecorderOptions } from './lmdb-recorders.js';
