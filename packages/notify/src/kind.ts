import { invalidArgument } from '@eventum/core';

import { field, optional } from './fields.js';
import type { EnumValue, Field, Fields, FieldsInput, FieldsOutput, JsonSchema } from './fields.js';

/** ION's `EventMessage.Status`: the envelope's `status` enum. */
export const NotifyStatus = { IN_PROGRESS: 1, CACHED: 2, ERROR: 3, NO_CACHE: 4 } as const;
export type NotifyStatus = EnumValue<typeof NotifyStatus>;

/** The origin: one or more subject tokens (`proc1`, `chan1.proc42`), never `unknown`. */
export const ORIGIN_PATTERN = '^[^.\\s*>]+(\\.[^.\\s*>]+)*$';

/**
 * The envelope every notification carries (ION's `EventMessage`), besides its kind's fields.
 * `datetime` (epoch seconds) defaults to now and `origin` to the publisher's; both are always
 * present on receipt.
 */
export const envelopeFields = {
  resourceId: optional(field.string()),
  name: optional(field.string()),
  status: optional(field.enum(NotifyStatus)),
  description: optional(field.string()),
  datetime: field.number(),
  origin: field.json<string>({
    type: 'string',
    pattern: ORIGIN_PATTERN,
    not: { const: 'unknown' },
  }),
  body: optional(field.string()),
  userId: optional(field.string()),
} as const;
type EnvelopeFields = typeof envelopeFields;

/** What a publisher may set of the envelope; `datetime` and `origin` have defaults. */
export type EnvelopeInput = Omit<FieldsInput<EnvelopeFields>, 'datetime' | 'origin'> & {
  readonly datetime?: number;
  readonly origin?: string;
};
/** The envelope as a subscriber receives it. */
export type EnvelopeData = FieldsOutput<EnvelopeFields>;

/**
 * A notification kind: a numeric id (the first token of its routing key, as ION's event ids), a
 * unique name (the bus envelope's `type`), its fields and the JSON Schema of the whole payload
 * (envelope and fields, no other property). Several kinds may share an id (ION's 4001); a
 * subscriber of one kind then skips the others.
 */
export interface Kind<N extends string = string, F extends Fields = Fields> {
  readonly id: number;
  readonly name: N;
  readonly fields: F;
  /** What the kind means, and what its origin names (ION: a resource UUID, a process name…). */
  readonly description: string;
  readonly schema: JsonSchema;
}

/** What a publisher of kind `K` passes: envelope fields plus `K`'s own, nothing else. */
export type NotificationInput<K extends Kind> = EnvelopeInput & FieldsInput<K['fields']>;
/** The payload a subscriber of kind `K` receives: enums as values. */
export type NotificationData<K extends Kind> = EnvelopeData & FieldsOutput<K['fields']>;

/** The definition {@link defineKind} takes. */
export interface KindDefinition<N extends string, F extends Fields> {
  readonly id: number;
  readonly name: N;
  readonly fields: F;
  readonly description?: string;
}

const KIND_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Defines a kind. Throws `ERR_INVALID_ARGUMENT` for an id that is not a positive safe integer, a
 * name that is not lower-case kebab (`process-lifecycle`), or a field named like an envelope
 * field.
 */
export function defineKind<const N extends string, const F extends Fields>(
  definition: KindDefinition<N, F>,
): Kind<N, F> {
  const { id, name, fields } = definition;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw invalidArgument(`kind ${JSON.stringify(name)}: id must be a positive integer, got ${id}`);
  }
  if (!KIND_NAME.test(name)) {
    throw invalidArgument(`kind name must be lower-case kebab, got ${JSON.stringify(name)}`);
  }
  for (const fieldName of Object.keys(fields)) {
    if (Object.hasOwn(envelopeFields, fieldName)) {
      throw invalidArgument(`kind ${name}: field ${fieldName} is an envelope field`);
    }
  }
  const schema = payloadSchema(name, { ...envelopeFields, ...fields });
  return Object.freeze({ id, name, fields, description: definition.description ?? '', schema });
}

function payloadSchema(name: string, all: Readonly<Record<string, Field>>): JsonSchema {
  const entries = Object.entries(all);
  return {
    title: name,
    type: 'object',
    properties: Object.fromEntries(entries.map(([key, f]) => [key, f.schema])),
    required: entries.filter(([, f]) => !f.optional).map(([key]) => key),
    additionalProperties: false,
  };
}
