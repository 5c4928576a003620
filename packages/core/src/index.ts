// The public surface of @eventum/core: explicit named exports only.

export {
  ClosedError,
  ConfigError,
  ErrorCode,
  EventumError,
  ProtocolError,
  invalidArgument,
  isEventumError,
} from './errors.js';
export type { ConfigIssue } from './errors.js';

export { GroupResource } from './lifecycle/group-resource.js';
export { ResourceGroup, toError } from './lifecycle/resource-group.js';
export type { AdoptOptions } from './lifecycle/resource-group.js';
export { deferred } from './lifecycle/resource.js';
export { Trigger } from './lifecycle/trigger.js';
export type { ActivityLease } from './lifecycle/lease.js';
export type { Deferred, Resource } from './lifecycle/resource.js';
export { noopLogger } from './log/logger.js';
export { StorageHealth } from './backend/storage-health.js';
export { FlushScheduler, notifyFlushed } from './backend/flush-scheduler.js';
export type { FlushSchedulerOptions } from './backend/flush-scheduler.js';
export type { Logger } from './log/logger.js';

export type { Event, EventHeader, RegisterEvent } from './model/event.js';
export { compareEvents } from './model/event.js';
export type { EventId } from './model/event-id.js';
export { compareEventIds, eventIdEquals } from './model/event-id.js';
export type { EventType } from './model/event-type.js';
export {
  formatEventType,
  isQueryType,
  parseEventType,
  validateQueryType,
} from './model/event-type.js';
export type {
  EventPayload,
  EventPayloadBinary,
  EventPayloadJson,
  JsonValue,
} from './model/payload.js';
export type {
  QueryLatestParams,
  QueryParams,
  QueryResult,
  QueryServerParams,
  QueryTimeseriesParams,
} from './model/query.js';
export { Order, OrderBy, Status } from './model/status.js';
export type { Timestamp } from './model/timestamp.js';
export type { ClockSources, TimestampClockOptions } from './model/clock.js';
export {
  DEFAULT_MAX_CLOCK_SKEW_MS,
  createTimestampClock,
  timestampAfter,
  timestampNow,
} from './model/clock.js';
export {
  MAX_TIMESTAMP,
  MIN_TIMESTAMP,
  TIMESTAMP_BYTES,
  compareTimestamps,
  isTimestamp,
  timestampAdd,
  timestampEquals,
  timestampFromBytes,
  timestampFromDate,
  timestampFromFloat,
  timestampMax,
  timestampMin,
  timestampToBytes,
  timestampToDate,
  timestampToFloat,
  writeTimestampBytes,
} from './model/timestamp.js';

export {
  isValidSubject,
  isValidSubjectPattern,
  matchesQueryType,
  matchesSubject,
} from './matching/match.js';
export { Subscription } from './matching/subscription.js';
export { EventTypeCollection } from './matching/event-type-collection.js';

export { SbsReader } from './codec/sbs-reader.js';
export { SbsWriter } from './codec/sbs-writer.js';
export {
  ChatterMsgType,
  decodeChatterMsg,
  encodeChatterFrame,
  encodeChatterFrameWith,
  encodeChatterMsg,
} from './codec/chatter.js';
export type { ChatterData, ChatterHeader, ChatterMsg } from './codec/chatter.js';
export { DEFAULT_MAX_FRAME_SIZE, FrameDecoder, encodeFrame } from './codec/frame.js';
export {
  decodeEvent,
  decodeEventHeader,
  decodeEventTypeOf,
  decodeEventerMsg,
  encodeEvent,
  encodeEventerFrame,
  encodeEventerMsg,
  encodeEvents,
} from './codec/eventer.js';
export { EventerMsgType } from './codec/eventer-messages.js';
export type {
  EventerMsg,
  MsgInitReq,
  MsgInitRes,
  MsgRegisterRes,
} from './codec/eventer-messages.js';
export { readEvent, writeEvent } from './codec/eventer-model.js';
export {
  eventEncoding,
  payloadEncoding,
  rememberEventEncoding,
  rememberPayloadEncoding,
  retainedCopy,
  rememberResultEncoding,
  resultEncoding,
} from './codec/encodings.js';
export {
  DEFAULT_MAX_EVENT_SIZE,
  MAX_EVENT_HEADER_SIZE,
  MAX_PAYLOAD_DEPTH,
  MESSAGE_OVERHEAD,
  encodedEventSize,
  eventBudget,
  eventLimitProblem,
  jsonTooDeep,
  payloadBytes,
} from './codec/limits.js';
export type { SbsReaderOptions } from './codec/sbs-reader.js';
export type { EncodedEvents } from './codec/encodings.js';

export { Durability } from './backend/backend.js';
export type { Backend, BackendContext, BackendPlugin } from './backend/backend.js';
export { DEFAULT_MAX_RESULT_BYTES } from './backend/backend.js';
export {
  DEFAULT_MAX_RESULTS,
  createMemoryBackend,
  memoryBackend,
} from './backend/memory-backend.js';
export type { MemoryBackendConfig, MemoryBackendOptions } from './backend/memory-backend.js';
export { PageBudget, boundedPage } from './backend/page-budget.js';
export {
  Conditions,
  compileCondition,
  getJsonPath,
  jsonEquals,
  registerSkipReason,
  satisfiesAll,
} from './backend/conditions.js';
export type { EventCondition } from './backend/conditions.js';
export { PartitionSelector, compareTypes, covers } from './backend/partition-selection.js';
export type { SelectablePartition } from './backend/partition-selection.js';
export {
  DEFAULT_TIMESERIES,
  storageSchemaDefs,
  storageSchemaProperties,
} from './backend/storage-config.js';
export type {
  ConditionConfig,
  ConditionRule,
  JsonDataType,
  JsonPath,
  PartitionConfig,
  PartitionLimit,
  PartitionOrderBy,
} from './backend/storage-config.js';
export {
  TimeseriesPager,
  firstIndex,
  timeseriesFilter,
  timeseriesPage,
} from './backend/timeseries.js';

export {
  BUS_ENVELOPE_VERSION,
  assertBusPayload,
  createEnvelope,
  decodeEnvelope,
  encodeEnvelope,
  newEnvelopeId,
} from './bus/envelope.js';
export type {
  BusDelivery,
  BusEnvelope,
  BusEvent,
  BusPayload,
  EnvelopeFields,
} from './bus/envelope.js';
export { DEFAULT_BUS_BUFFER_SIZE } from './bus/bus.js';
export type {
  Bus,
  BusOptions,
  BusPlugin,
  BusPublishOptions,
  BusReplayFrom,
  BusStats,
  BusSubscribeOptions,
  BusSubscription,
} from './bus/bus.js';
export { BusBase } from './bus/bus-base.js';
export type { BusCounters } from './bus/bus-base.js';
export { BufferedSubscription } from './bus/buffered-subscription.js';
export type { BufferedSubscriptionOptions } from './bus/buffered-subscription.js';
export { createInProcessBus, createNullBus, inProcessBus, nullBus } from './bus/in-process-bus.js';
export { publishSafely, runControlListener, runHealthHeartbeat } from './bus/helpers.js';
export type { HeartbeatOptions } from './bus/helpers.js';
export {
  escapeSubjectToken,
  eventTypeToSubject,
  subjectToEventType,
  topic,
  topicSegment,
  topics,
  unescapeSubjectToken,
} from './bus/topics.js';
export { eventToJson, eventToJsonText, registerEventFromJson } from './bus/event-json.js';
export type {
  AggregateRecorder,
  ApplicationRecorder,
  InsertOptions,
  Notification,
  ProcessRecorder,
  Recorders,
  SelectEventsOptions,
  SelectNotificationsOptions,
  StoredEvent,
  Tracking,
} from './sourcing/recorder.js';
