// The public surface of @eventum/sourcing: explicit named exports only.
export { Aggregate, event } from './aggregate.js';
export type { AggregateClass, EventsOf } from './aggregate.js';
export { AesCipher } from './cipher.js';
export type { Compressor } from './cipher.js';
export { zlibCompressor } from './compressor.js';
export { decisions } from './decider.js';
export type { Decider } from './decider.js';
export { AggregateNotFoundError, ConflictError } from './errors.js';
export type { ConflictKind } from './errors.js';
export { causedBy, makeMeta, newId } from './events.js';
export type { CausalMeta, DataOf, Event, EventMeta, Recorded } from './events.js';
export { Mapper, currentVersion, upcast } from './mapper.js';
export type { MapperOptions, UpcastSteps, Upcasters } from './mapper.js';
export { MemoryRecorder, createMemoryRecorders } from './memory-recorder.js';
export { Transcoder, bigintTranscoding, bytesTranscoding, dateTranscoding } from './transcoder.js';
export type { Transcoding } from './transcoder.js';
