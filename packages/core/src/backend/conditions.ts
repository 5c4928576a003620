import { EventTypeCollection } from '../matching/event-type-collection.js';
import { Subscription } from '../matching/subscription.js';
import type { Event } from '../model/event.js';
import { compareEventIds } from '../model/event-id.js';
import type { EventId } from '../model/event-id.js';
import type { EventType } from '../model/event-type.js';
import type { JsonValue } from '../model/payload.js';
import { compareTimestamps } from '../model/timestamp.js';
import type { Timestamp } from '../model/timestamp.js';
import type { ConditionConfig, ConditionRule, JsonDataType, JsonPath } from './storage-config.js';

/** A compiled content condition. */
export type EventCondition = (event: Event) => boolean;

/**
 * The configured content filters (hat-event.md §4.4.8): every rule whose subscription matches an
 * event's type must accept it; types no rule matches always pass.
 */
export class Conditions {
  readonly #rules = new EventTypeCollection<EventCondition>();
  readonly #count: number;

  constructor(rules: readonly ConditionRule[]) {
    for (const rule of rules) {
      this.#rules.add(new Subscription(rule.subscriptions), compileCondition(rule.condition));
    }
    this.#count = rules.length;
  }

  /** True when no rule is configured (every event passes). */
  get isEmpty(): boolean {
    return this.#count === 0;
  }

  /** The conditions an event of `type` must satisfy (cache the result per type). */
  forType(type: EventType): readonly EventCondition[] {
    return this.#count === 0 ? [] : [...this.#rules.get(type)];
  }

  /** True when `event` satisfies every condition of its type. */
  matches(event: Event): boolean {
    return this.#count === 0 || satisfiesAll(this.forType(event.type), event);
  }
}

/** True when `event` satisfies every one of `conditions`. */
export function satisfiesAll(conditions: readonly EventCondition[], event: Event): boolean {
  for (const condition of conditions) if (!condition(event)) return false;
  return true;
}

/**
 * Why Hat's register algorithm (hat-event.md §4.4.5) skips `event`, or `undefined` to store it:
 * its id must advance past its server's last one, its timestamp must not go back, and it must
 * satisfy its type's `conditions`. The message is the one storage backends log.
 */
export function registerSkipReason(
  event: Event,
  last: { readonly lastId: EventId; readonly lastTimestamp: Timestamp } | undefined,
  conditions: readonly EventCondition[],
): string | undefined {
  if (last !== undefined && compareEventIds(event.id, last.lastId) <= 0) {
    return 'event skipped: id does not advance';
  }
  if (last !== undefined && compareTimestamps(event.timestamp, last.lastTimestamp) < 0) {
    return 'event skipped: timestamp before the last one';
  }
  if (conditions.length > 0 && !satisfiesAll(conditions, event)) {
    return 'event skipped: conditions not met';
  }
  return undefined;
}

/** Compiles one condition of the configuration. */
export function compileCondition(conf: ConditionConfig): EventCondition {
  switch (conf.type) {
    case 'all': {
      const parts = conf.conditions.map(compileCondition);
      return (event) => parts.every((part) => part(event));
    }
    case 'any': {
      const parts = conf.conditions.map(compileCondition);
      return (event) => parts.some((part) => part(event));
    }
    case 'json':
      return compileJson(conf.data_path ?? [], conf.data_type, conf.data_value);
  }
}

function compileJson(
  path: JsonPath,
  dataType: JsonDataType | undefined,
  dataValue: JsonValue | undefined,
): EventCondition {
  return (event) => {
    if (event.payload?.type !== 'json') return false;
    const data = getJsonPath(event.payload.data, path);
    if (dataType !== undefined && !hasJsonType(data, dataType)) return false;
    return dataValue === undefined || jsonEquals(data, dataValue);
  };
}

/**
 * The element of `data` at `path` (Hat's `json.get`): a string selects an object member, an
 * integer an array element (negative from the end), a list applies its paths in turn. A missing
 * element is `null`.
 */
export function getJsonPath(data: JsonValue, path: JsonPath): JsonValue {
  if (typeof path === 'string') {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
    const object = data as { readonly [key: string]: JsonValue };
    return Object.hasOwn(object, path) ? (object[path] ?? null) : null;
  }
  if (typeof path === 'number') {
    if (!Array.isArray(data)) return null;
    const array = data as readonly JsonValue[];
    const index = path < 0 ? array.length + path : path;
    return index >= 0 && index < array.length ? (array[index] ?? null) : null;
  }
  let current = data;
  for (const part of path) current = getJsonPath(current, part);
  return current;
}

function hasJsonType(data: JsonValue, type: JsonDataType): boolean {
  switch (type) {
    case 'null':
      return data === null;
    case 'boolean':
      return typeof data === 'boolean';
    case 'string':
      return typeof data === 'string';
    case 'number':
      return typeof data === 'number';
    case 'array':
      return Array.isArray(data);
    case 'object':
      return typeof data === 'object' && data !== null && !Array.isArray(data);
  }
}

/** Deep equality of JSON values (booleans never equal numbers, unlike Python's `True == 1`). */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    const bs = b as readonly JsonValue[];
    return (a as readonly JsonValue[]).every((item, i) => jsonEquals(item, bs[i] as JsonValue));
  }
  const ao = a as { readonly [key: string]: JsonValue };
  const bo = b as { readonly [key: string]: JsonValue };
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  return keys.every(
    (key) => Object.hasOwn(bo, key) && jsonEquals(ao[key] as JsonValue, bo[key] as JsonValue),
  );
}
