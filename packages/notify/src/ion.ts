// ION's event notification catalogue (ioncore-python events.py and event.proto), as the built-in
// kinds. Field names are ION's in camelCase; every proto2 field stays optional except the state of
// the lifecycle and app-loader kinds, without which those notifications say nothing.
import { Catalogue } from './catalogue.js';
import { field, optional } from './fields.js';
import type { EnumValue } from './fields.js';
import { defineKind } from './kind.js';

/** ION's `ResourceLifecycleEventMessage.State`. */
export const LifecycleState = { NEW: 1, READY: 2, ACTIVE: 3, TERMINATED: 4, ERROR: 5 } as const;
export type LifecycleState = EnumValue<typeof LifecycleState>;

/** ION's `AppLoaderEventMessage.State`. */
export const AppState = { STARTED: 1, STOPPED: 2 } as const;
export type AppState = EnumValue<typeof AppState>;

/** ION's ingestion `processing_step` (a string in ION; an enum here). */
export const ProcessingStep = { DATASET: 'dataset', CHUNK: 'chunk', DONE: 'done' } as const;
export type ProcessingStep = EnumValue<typeof ProcessingStep>;

const text = () => optional(field.string());
const lifecycle = { state: field.enum(LifecycleState) } as const;
const trigger = { taskId: text(), payload: optional(field.object()) } as const;
const subscription = { dispatcherWorkflow: optional(field.object()) } as const;
const data = { datasetId: text(), datasourceId: text(), dataBlock: text() } as const;

export const resourceLifecycle = defineKind({
  id: 1001,
  name: 'resource-lifecycle',
  fields: lifecycle,
  description: 'A resource changed lifecycle state; origin: the resource id.',
});
export const containerLifecycle = defineKind({
  id: 1051,
  name: 'container-lifecycle',
  fields: lifecycle,
  description: 'A container changed lifecycle state; origin: the container name.',
});
export const processLifecycle = defineKind({
  id: 1052,
  name: 'process-lifecycle',
  fields: lifecycle,
  description: 'A process (any opted-in Resource) changed state; origin: its name.',
});
export const appLoader = defineKind({
  id: 1075,
  name: 'app-loader',
  fields: { appName: text(), state: field.enum(AppState) },
  description: 'An application started or stopped; origin: the application name.',
});
export const containerStartup = defineKind({
  id: 1076,
  name: 'container-startup',
  fields: { startupNames: optional(field.array(field.string())) },
  description: 'A container ran its startup applications; origin: the container name.',
});
export const datasourceUpdate = defineKind({
  id: 1101,
  name: 'datasource-update',
  fields: trigger,
  description: 'A data source should be updated; origin: the data source id.',
});
export const datasourceUnavailable = defineKind({
  id: 1102,
  name: 'datasource-unavailable',
  fields: {
    datasourceId: text(),
    datasetId: text(),
    title: text(),
    url: text(),
    errorExplanation: text(),
  },
  description: 'A data source could not be reached; origin: the data source id.',
});
export const datasetSupplementAdded = defineKind({
  id: 1111,
  name: 'dataset-supplement-added',
  fields: {
    datasourceId: text(),
    datasetId: text(),
    title: text(),
    url: text(),
    startDatetimeMillis: optional(field.integer()),
    endDatetimeMillis: optional(field.integer()),
    numberOfTimesteps: optional(field.integer({ minimum: -(2 ** 31), maximum: 2 ** 31 - 1 })),
  },
  description: 'Data was added to a dataset; origin: the dataset id.',
});
export const businessStateModification = defineKind({
  id: 1112,
  name: 'business-state-modification',
  fields: { resource: optional(field.object()) },
  description: 'A resource was modified (not a lifecycle change); origin: the resource id.',
});
export const datasetChange = defineKind({
  id: 1113,
  name: 'dataset-change',
  fields: { datasetId: text() },
  description: 'A dataset changed: caches of it must be cleared; origin: the dataset id.',
});
export const datasourceChange = defineKind({
  id: 1114,
  name: 'datasource-change',
  fields: { datasourceId: text() },
  description: 'A data source changed: caches of it must be cleared; origin: the data source id.',
});
export const ingestionProcessing = defineKind({
  id: 1115,
  name: 'ingestion-processing',
  fields: {
    datasetId: text(),
    ingestionProcessId: text(),
    convId: text(),
    processingStep: optional(field.enum(ProcessingStep)),
  },
  description: 'Ingestion is still working on a dataset; origin: the dataset id.',
});
export const newSubscription = defineKind({
  id: 1201,
  name: 'new-subscription',
  fields: subscription,
  description: 'A notification subscription was added; origin: the dispatcher id.',
});
export const delSubscription = defineKind({
  id: 1202,
  name: 'del-subscription',
  fields: subscription,
  description: 'A notification subscription was removed; origin: the dispatcher id.',
});
export const schedule = defineKind({
  id: 2001,
  name: 'schedule',
  fields: trigger,
  description: 'A scheduled task fired; origin: the scheduler task or its owner.',
});
export const loggingCritical = defineKind({
  id: 3001,
  name: 'logging-critical',
  fields: {},
  description: 'A critical log line (text in description/body); origin: the process name.',
});
export const loggingError = defineKind({
  id: 3002,
  name: 'logging-error',
  fields: {},
  description: 'An error log line (text in description/body); origin: the process name.',
});
export const loggingInfo = defineKind({
  id: 3003,
  name: 'logging-info',
  fields: {},
  description: 'An informational log line (text in description/body); origin: the process name.',
});
export const dataBlock = defineKind({
  id: 4001,
  name: 'data-block',
  fields: data,
  description: 'A block of data arrived; origin: the producing process.',
});
export const instrumentSample = defineKind({
  id: 4001,
  name: 'instrument-sample',
  fields: {
    conductivity: optional(field.number()),
    pressure: optional(field.number()),
    temperature: optional(field.number()),
    soundVelocity: optional(field.number()),
    salinity: optional(field.number()),
    time: text(),
    date: text(),
  },
  description: 'One instrument sample (ION shares id 4001 with data-block); origin: the agent id.',
});

/** ION's catalogue: every concrete kind of events.py with its numeric id. */
export const ionCatalogue = Catalogue.of(
  resourceLifecycle,
  containerLifecycle,
  processLifecycle,
  appLoader,
  containerStartup,
  datasourceUpdate,
  datasourceUnavailable,
  datasetSupplementAdded,
  businessStateModification,
  datasetChange,
  datasourceChange,
  ingestionProcessing,
  newSubscription,
  delSubscription,
  schedule,
  loggingCritical,
  loggingError,
  loggingInfo,
  dataBlock,
  instrumentSample,
);
