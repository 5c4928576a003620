import type { JsonValue } from '@eventum/core';

/** A JSON Schema, as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** The members of an enum field: an `as const` object from member name to value. */
export type EnumMembers = { readonly [name: string]: string | number };

/**
 * One field of a notification kind: its JSON Schema (checked at run time) and, as phantom
 * types, what a publisher may pass (`In`: for enums, a member name or a value) and what a
 * subscriber receives (`Out`: enum values only). Build fields with {@link field}.
 */
export interface Field<In = unknown, Out = In> {
  readonly schema: JsonSchema;
  readonly optional: boolean;
  /** Set for enum fields: member names a publisher may give instead of values. */
  readonly members?: EnumMembers;
  /** Type-only: never set at run time. */
  readonly __in?: In;
  readonly __out?: Out;
}

/** A kind's fields by name. */
export type Fields = { readonly [name: string]: Field };

type InOf<F> = F extends Field<infer In, unknown> ? In : never;
type OutOf<F> = F extends Field<unknown, infer Out> ? Out : never;
type OptionalKeys<F extends Fields> = {
  [K in keyof F]: F[K] extends { readonly optional: true } ? K : never;
}[keyof F];
type RequiredKeys<F extends Fields> = Exclude<keyof F, OptionalKeys<F>>;
type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** What a publisher passes for `F`: required fields required, enums by name or value. */
export type FieldsInput<F extends Fields> = Flatten<
  { readonly [K in RequiredKeys<F>]: InOf<F[K]> } & { readonly [K in OptionalKeys<F>]?: InOf<F[K]> }
>;

/** What a subscriber receives for `F`: enums as values. */
export type FieldsOutput<F extends Fields> = Flatten<
  { readonly [K in RequiredKeys<F>]: OutOf<F[K]> } & {
    readonly [K in OptionalKeys<F>]?: OutOf<F[K]>;
  }
>;

/** The value type of an `as const` enum object. */
export type EnumValue<E extends EnumMembers> = E[keyof E];

function make<In, Out = In>(
  schema: JsonSchema,
  members?: EnumMembers,
): Field<In, Out> & {
  readonly optional: false;
} {
  return members === undefined ? { schema, optional: false } : { schema, optional: false, members };
}

/** Builders of {@link Field}s. Every field is required unless wrapped in {@link optional}. */
export const field = {
  /** A string; `maxLength` in UTF-16 units, `pattern` a regular expression (JSON Schema's). */
  string: (limits: { readonly maxLength?: number; readonly pattern?: string } = {}) =>
    make<string>({ type: 'string', ...limits }),
  /** A safe integer (ION's sint32/sint64), optionally bounded. */
  integer: (limits: { readonly minimum?: number; readonly maximum?: number } = {}) =>
    make<number>({
      type: 'integer',
      minimum: limits.minimum ?? Number.MIN_SAFE_INTEGER,
      maximum: limits.maximum ?? Number.MAX_SAFE_INTEGER,
    }),
  /** A finite number (ION's double). */
  number: () => make<number>({ type: 'number' }),
  boolean: () => make<boolean>({ type: 'boolean' }),
  /**
   * An enum: publishers give a member name (`'ACTIVE'`) or a value (`3`); the value travels and
   * subscribers receive it. A string that is a member name is taken as that name.
   */
  enum: <const E extends EnumMembers>(members: E) =>
    make<EnumValue<E> | (keyof E & string), EnumValue<E>>(
      { enum: [...new Set(Object.values(members))] },
      members,
    ),
  /** An array of `item`s (enum items travel as values; names are not translated inside arrays). */
  array: <In, Out>(item: Field<In, Out>) =>
    make<readonly In[], readonly Out[]>({ type: 'array', items: item.schema }),
  /** Any JSON object (ION's CASRef fields: a linked structure). */
  object: () => make<{ readonly [key: string]: JsonValue }>({ type: 'object' }),
  /** Any JSON Schema; the caller vouches that `T` describes what it accepts. */
  json: <T>(schema: JsonSchema) => make<T>(schema),
} as const;

/** The same field, but optional (a publisher may leave it out; it may be absent on receipt). */
export function optional<In, Out>(
  inner: Field<In, Out>,
): Field<In, Out> & { readonly optional: true } {
  return { ...inner, optional: true };
}
