import { compilePayloadBuilder } from './compile.js';
import type { PayloadBuilder } from './compile.js';
import type { Field } from './fields.js';
import { envelopeFields } from './kind.js';
import type { Kind, NotificationData, NotificationInput } from './kind.js';
import { NotificationError, isValid, schemaProblems } from './validate.js';
import type { NotificationProblem } from './validate.js';

type Members = Readonly<Record<string, string | number>>;

/** Per kind, computed once: the members of each enum field by field name (null prototype, so a
 * field named like an `Object.prototype` member is no enum). */
const enumPlans = new WeakMap<Kind, Readonly<Record<string, Members | undefined>>>();

function enumsOf(kind: Kind): Readonly<Record<string, Members | undefined>> {
  let plan = enumPlans.get(kind);
  if (plan === undefined) {
    const members: Record<string, Members | undefined> = Object.create(null) as Record<
      string,
      Members | undefined
    >;
    // Envelope last: ION's base fields win (defineKind refuses clashes anyway).
    const fields: Record<string, Field> = { ...kind.fields, ...envelopeFields };
    for (const [name, spec] of Object.entries(fields)) {
      if (spec.members !== undefined) members[name] = spec.members;
    }
    plan = members;
    enumPlans.set(kind, plan);
  }
  return plan;
}

/**
 * ION's `create_event`: builds the payload of a `kind` notification from `input` (envelope
 * fields and the kind's own), translating enum member names to values and filling `datetime`
 * (now, epoch seconds) and `origin` (from `input`, else `defaultOrigin`). Then checks it against
 * the kind's JSON Schema. Fields set to `undefined` are left out.
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
  return notificationFactory(kind)(input, defaultOrigin, Date.now() / 1000);
}

/** {@link createNotification} of one kind, `now` (epoch seconds) the default `datetime`. */
export type NotificationFactory<K extends Kind> = (
  input: NotificationInput<K>,
  defaultOrigin: string | undefined,
  now: number,
) => NotificationData<K>;

const factories = new WeakMap<Kind, NotificationFactory<Kind>>();

/**
 * {@link createNotification} for `kind`, made once per kind: its compiled builder (compile.ts),
 * and the general path below for the inputs the builder does not accept, which either returns the
 * same payload or throws the error naming every problem.
 */
export function notificationFactory<K extends Kind>(kind: K): NotificationFactory<K> {
  let factory = factories.get(kind);
  if (factory === undefined) {
    const build: PayloadBuilder = compilePayloadBuilder(kind) ?? (() => undefined);
    factory = (input, defaultOrigin, now) =>
      (build(input, defaultOrigin, now) as NotificationData<Kind> | undefined) ??
      buildAndCheck(kind, input, defaultOrigin, now);
    factories.set(kind, factory);
  }
  return factory as unknown as NotificationFactory<K>;
}

/** The general path, for any input and any kind: builds the payload field by field (`datetime`
 * defaults to `now`), validates it with ajv, and names every problem of a refused one. */
export function buildAndCheck<K extends Kind>(
  kind: K,
  input: NotificationInput<K>,
  defaultOrigin: string | undefined,
  now: number,
): NotificationData<K> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new NotificationError(kind.name, [{ field: '', message: 'must be an object' }]);
  }
  // One pass building the payload with its final values (enum names already translated, so no
  // property changes representation), one validation. The schema refuses
  // unknown fields (`additionalProperties: false`), so only a refused payload pays for the
  // field-by-field diagnosis.
  const enums = enumsOf(kind);
  const payload: Record<string, unknown> = {};
  for (const name in input) {
    const value = (input as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const members = enums[name];
    payload[name] =
      members !== undefined && typeof value === 'string' && Object.hasOwn(members, value)
        ? members[value]
        : value;
  }
  payload['origin'] ??= defaultOrigin;
  payload['datetime'] ??= now;
  if (isValid(kind, payload)) return payload as NotificationData<K>;
  return diagnose(kind, payload);
}

/** Names every problem of a payload the schema refused (or returns it without its undefined
 * fields when they were the only problem). */
function diagnose<K extends Kind>(kind: K, payload: Record<string, unknown>): NotificationData<K> {
  const problems: NotificationProblem[] = [];
  for (const [name, value] of Object.entries(payload)) {
    const spec = fieldOf(kind, name);
    if (value === undefined) delete payload[name];
    else if (spec === undefined) problems.push({ field: name, message: 'unknown field' });
    else if (spec.members !== undefined) unknownMember(spec.members, name, value, problems);
  }
  const origin = payload['origin'];
  if (origin === undefined || origin === '' || origin === 'unknown') {
    const got = JSON.stringify(origin) ?? 'nothing';
    problems.push({ field: 'origin', message: `is required and not "unknown", got ${got}` });
  }
  if (problems.length === 0) problems.push(...schemaProblems(kind, payload));
  if (problems.length > 0) throw new NotificationError(kind.name, problems);
  return payload as NotificationData<K>;
}

/** The field `name` of `kind` (envelope first: ION's base fields win). */
export function fieldOf(kind: Kind, name: string): Field | undefined {
  if (Object.hasOwn(envelopeFields, name)) {
    return envelopeFields[name as keyof typeof envelopeFields];
  }
  return Object.hasOwn(kind.fields, name) ? kind.fields[name] : undefined;
}

function unknownMember(
  members: Readonly<Record<string, string | number>>,
  name: string,
  value: unknown,
  problems: NotificationProblem[],
): void {
  // Names were translated already; a string left that is no value is an unknown name.
  if (typeof value !== 'string' || Object.values(members).includes(value)) return;
  const names = Object.keys(members).join(', ');
  problems.push({
    field: name,
    message: `unknown member ${JSON.stringify(value)} (one of ${names})`,
  });
}
