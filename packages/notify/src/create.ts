import type { Field } from './fields.js';
import { envelopeFields } from './kind.js';
import type { Kind, NotificationData, NotificationInput } from './kind.js';
import { NotificationError, schemaProblems } from './validate.js';
import type { NotificationProblem } from './validate.js';

/**
 * ION's `create_event`: builds the payload of a `kind` notification from `input` (envelope
 * fields and the kind's own), translating enum member names to values and filling `datetime`
 * (now, epoch seconds) and `origin` (from `input`, else `defaultOrigin`). Then checks it against
 * the kind's JSON Schema.
 *
 * Throws a {@link NotificationError} (`ERR_INVALID_ARGUMENT`) naming every offending field: an
 * unknown field (ION's "unused kwargs"), an unknown enum member name, a missing or `unknown`
 * origin, a value of the wrong type.
 */
export function createNotification<K extends Kind>(
  kind: K,
  input: NotificationInput<K>,
  defaultOrigin?: string,
): NotificationData<K> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new NotificationError(kind.name, [{ field: '', message: 'must be an object' }]);
  }
  const problems: NotificationProblem[] = [];
  const payload: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const spec = fieldOf(kind, name);
    if (spec === undefined) problems.push({ field: name, message: 'unknown field' });
    else payload[name] = spec.members === undefined ? value : member(spec, name, value, problems);
  }
  payload['origin'] ??= defaultOrigin;
  payload['datetime'] ??= Date.now() / 1000;
  const origin = payload['origin'];
  if (origin === undefined || origin === '' || origin === 'unknown') {
    problems.push({
      field: 'origin',
      message: `is required and not "unknown", got ${String(origin)}`,
    });
  }
  if (problems.length === 0) problems.push(...schemaProblems(kind, payload));
  if (problems.length > 0) throw new NotificationError(kind.name, problems);
  return payload as NotificationData<K>;
}

/** The field `name` of `kind` (envelope first: ION's base fields win). */
export function fieldOf(kind: Kind, name: string): Field | undefined {
  if (Object.hasOwn(envelopeFields, name))
    return envelopeFields[name as keyof typeof envelopeFields];
  return Object.hasOwn(kind.fields, name) ? kind.fields[name] : undefined;
}

function member(
  spec: Field,
  name: string,
  value: unknown,
  problems: NotificationProblem[],
): unknown {
  const members = spec.members ?? {};
  // A member name wins over an equal value; numbers and values are left to the schema.
  if (typeof value !== 'string') return value;
  if (Object.hasOwn(members, value)) return members[value];
  if (Object.values(members).includes(value)) return value;
  const names = Object.keys(members).join(', ');
  problems.push({
    field: name,
    message: `unknown member ${JSON.stringify(value)} (one of ${names})`,
  });
  return value;
}
