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
export type { PersistenceConfig, SourcingConfig, SourcingDurability } from './config.js';
export { sourcingConfigFromEnv } from './config-env.js';
export { openApplication } from './open-application.js';
export type { OpenApplicationOptions } from './open-application.js';
export { configOf, openMapper } from './open-application.js';
export type { CommitListener } from './event-store.js';
// Process applications, the System of pipes and its runners (docs/system.md).
export { ProcessApplication, ProcessingEvent } from './system/process-application.js';
export type { ApplicationClass } from './system/process-application.js';
export { Follower } from './system/follower.js';
export type { ErrorPolicy, FollowerOptions, FollowerStatus } from './system/follower.js';
export { localLeaderLog, promptOnCommit } from './system/leader-log.js';
export type { LeaderLog, Prompt } from './system/leader-log.js';
export {
  PARKED_TOPIC,
  RESOLVED_TOPIC,
  listParked,
  park,
  replayParked,
  skipParked,
} from './system/parked.js';
export type { ParkedEvent } from './system/parked.js';
export { System, applicationNameOf } from './system/system.js';
export { settle } from './system/runner.js';
export type { Position, Runner, RunnerOptions } from './system/runner.js';
export {
  ConcurrentRunner,
  SingleThreadedRunner,
  callMethod,
  openSystemApplication,
} from './system/local-runners.js';
export { ApplicationNode } from './system/node.js';
export type { NodeLinks } from './system/node.js';
export { WorkerRunner } from './system/worker-runner.js';
export type { SystemModule } from './system/worker-runner.js';
export { loadSystem, moduleUrl } from './system/system-module.js';
export { busPublisher, promptTopic, subscribePrompts } from './system/bus-prompts.js';
export { storedStatus } from './system/stored-status.js';
export type { StoredStatus } from './system/stored-status.js';
export { ProcessRunner } from './system/process-runner.js';
export type { ProcessRunnerOptions } from './system/process-runner.js';
