// The public surface of @eventum/notify: explicit named exports only.

export { field, optional } from './fields.js';
export type {
  EnumMembers,
  EnumValue,
  Field,
  Fields,
  FieldsInput,
  FieldsOutput,
  JsonSchema,
} from './fields.js';
export { NotifyStatus, ORIGIN_PATTERN, defineKind, envelopeFields } from './kind.js';
export type {
  EnvelopeData,
  EnvelopeInput,
  Kind,
  KindDefinition,
  NotificationData,
  NotificationInput,
} from './kind.js';
export { Catalogue } from './catalogue.js';
export type { KindRef } from './catalogue.js';
export { createNotification, fieldOf } from './create.js';
export { NotificationError, schemaProblems } from './validate.js';
export type { NotificationProblem } from './validate.js';
export { notificationPattern, notificationSubject, queueName } from './routing.js';
export { Notifier, createNotifier } from './notifier.js';
export type {
  KindOf,
  NotifierOptions,
  NotifierStats,
  NotifySubscribeOptions,
  Publisher,
} from './notifier.js';
export { NotifySubscription } from './subscription.js';
export type { AnyNotification, Notification } from './subscription.js';
export * as ion from './ion.js';
export { AppState, LifecycleState, ProcessingStep, ionCatalogue, processLifecycle } from './ion.js';
export { openWithLifecycle } from './lifecycle.js';
export type { LifecycleOptions } from './lifecycle.js';
export { DEFAULT_MONITOR_BUFFER, EventMonitor, createEventMonitor } from './monitor.js';
export type { EventMonitorOptions, MonitorFilter, MonitorSubscriptionData } from './monitor.js';
