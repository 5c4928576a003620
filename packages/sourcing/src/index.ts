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
export { Application, DEFAULT_COMMAND_RETRIES } from './application.js';
export type { ApplicationOptions, CommandOptions, HandleOptions } from './application.js';
export { EventStore } from './event-store.js';
export type { AppendEvent, AppendOptions, AppendResult, ExpectedVersion } from './event-store.js';
export {
  DEFAULT_SECTION_SIZE,
  NotificationLog,
  followNotifications,
  readNotifications,
} from './notification-log.js';
export type { FollowOptions, LogSelectOptions, Section } from './notification-log.js';
export type { AbortOptions } from './abort.js';
export { Repository } from './repository.js';
export type { DeciderState, GetOptions } from './repository.js';
export { SnapshotStore } from './snapshots.js';
export type { Snapshot, SnapshotSchema } from './snapshots.js';
export { parseSourcingConfig, sourcingConfigSchema } from './config.js';
export type { PersistenceConfig, SourcingConfig } from './config.js';
export { sourcingConfigFromEnv } from './config-env.js';
export { openApplication } from './open-application.js';
export type { OpenApplicationOptions } from './open-application.js';
export { configOf, openMapper } from './open-application.js';
export type { CommitListener } from './event-store.js';
export * from './system/index.js';
