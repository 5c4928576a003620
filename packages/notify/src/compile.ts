import ajvModule from 'ajv';

import type { EnumMembers, Field, JsonSchema } from './fields.js';
import { envelopeFields } from './kind.js';
import type { Kind } from './kind.js';

/**
 * A kind's publish path compiled to one function: builds the payload from a publisher's input
 * (fields set to `undefined` left out, enum names translated, `origin` and `datetime` filled in
 * from `defaultOrigin` and `now`, in the input's order as `createNotification` does) and validates
 * it on the way. Returns `undefined` for anything the kind's schema might refuse; the caller then
 * takes the general path, which names every problem. Never returns a payload the schema refuses.
 */
export type PayloadBuilder = (
  input: unknown,
  defaultOrigin: string | undefined,
  now: number,
) => Record<string, unknown> | undefined;

// Fields whose schema is not one of the shapes below are checked by their own ajv validator,
// compiled with the options of the whole-payload one (validate.ts).
const ajv = new ajvModule.default({ strict: false });
const REFERENCES = /"\$(ref|id|defs|anchor|dynamicRef|dynamicAnchor|recursiveRef)"|"definitions"/;

/** What the generated code refers to: enum members and field validators, by index. */
export type Refs = unknown[];

/** {@link PayloadBuilder} of `kind`, or undefined when its schema is not one this compiles. */
export function compilePayloadBuilder(kind: Kind): PayloadBuilder | undefined {
  const shape = shapeOf(kind.schema);
  if (shape === undefined) return undefined;
  // One bit per required field (the defaulted ones are checked after the loop).
  const required = shape.required.filter((name) => !DEFAULTED.has(name));
  const bits = new Map(required.map((name, i) => [name, 2 ** i]));
  // Enum members as createNotification translates them (the envelope's win a clash).
  const fields: Record<string, Field | undefined> = { ...kind.fields, ...envelopeFields };
  const refs: Refs = [];
  const cases = Object.entries(shape.properties).map(([name, schema]) =>
    fieldCase(name, schema, Object.hasOwn(fields, name) ? fields[name]?.members : undefined, {
      refs,
      bit: bits.get(name),
    }),
  );
  const tail = [`  if (seen !== ${2 ** required.length - 1}) return undefined;`];
  tail.push(...defaults(shape.properties, refs));
  // What the code refers to, as constants of the closure.
  const prelude = refs.map((_, i) => `const r${i} = refs[${i}];`);
  // The last origin found valid: first an object no input can hold.
  const body = [...prelude, 'let lastOrigin = {};', ...builder(cases, tail)].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- code generated from the kind's schema, as ajv does: names and literals JSON-quoted
  const make = new Function('refs', body) as (refs: Refs) => PayloadBuilder;
  return make(refs);
}

/** The builder's code: a loop over the input's fields (one `case` each), then `tail`. */
function builder(cases: readonly string[], tail: readonly string[]): string[] {
  return [
    'return function build(input, defaultOrigin, now) {',
    '  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;',
    '  const p = {};',
    '  let seen = 0;',
    '  for (const k in input) {',
    '    const v = input[k];',
    '    if (v === undefined) continue;',
    '    switch (k) {',
    ...cases,
    '      default: return undefined;',
    '    }',
    '  }',
    ...tail,
    '  return p;',
    '};',
  ];
}

/** The envelope fields the builder fills in after the input's (they are checked there). */
const DEFAULTED = new Set(['origin', 'datetime']);

/** The parts of a kind's schema the builder checks. */
export interface Shape {
  readonly properties: Readonly<Record<string, JsonSchema>>;
  readonly required: readonly string[];
}

const SHAPE_KEYS = new Set(['title', 'description', 'type', 'properties', 'required']);

/**
 * `schema` when it has the shape `defineKind` gives every kind: an object of known properties,
 * `origin` and `datetime` among the required ones, no other property, no reference (a
 * schema checked in parts must mean the same as whole); undefined for any other.
 */
export function shapeOf(schema: JsonSchema): Shape | undefined {
  const { type, properties, required, additionalProperties } = schema;
  const keys = Object.keys(schema).filter((key) => key !== 'additionalProperties');
  if (type !== 'object' || additionalProperties !== false) return undefined;
  if (!keys.every((key) => SHAPE_KEYS.has(key))) return undefined;
  if (typeof properties !== 'object' || properties === null || !Array.isArray(required)) {
    return undefined;
  }
  const names = Object.keys(properties);
  const known = (name: unknown) => typeof name === 'string' && names.includes(name);
  if (!required.every(known) || !required.includes('origin') || !required.includes('datetime')) {
    return undefined;
  }
  // A bit per required field in a small integer; no name the generated stores would misread.
  if (required.length > 32 || names.includes('__proto__')) return undefined;
  if (REFERENCES.test(JSON.stringify(properties))) return undefined;
  return { properties: properties as Shape['properties'], required: required as string[] };
}

/** One `case` of the generated switch: translate enum names, check, store, mark if required. */
function fieldCase(
  name: string,
  schema: JsonSchema,
  members: EnumMembers | undefined,
  at: { readonly refs: Refs; readonly bit: number | undefined },
): string {
  const key = JSON.stringify(name);
  if (DEFAULTED.has(name)) return `      case ${key}: p[${key}] = v; break;`;
  const lines = [`      case ${key}: {`];
  if (members === undefined) lines.push('        const x = v;');
  else {
    // Member names to values as a Map: one hash lookup (values are never null or undefined).
    const names = Object.getOwnPropertyNames(members);
    const map = ref(at.refs, new Map(names.map((n) => [n, members[n]])));
    lines.push(`        const x = typeof v === "string" ? (${map}.get(v) ?? v) : v;`);
  }
  lines.push(`        if (!(${check(schema, 'x', at.refs)})) return undefined;`);
  lines.push(`        p[${key}] = x;`);
  if (at.bit !== undefined) lines.push(`        seen |= ${at.bit};`);
  lines.push('        break;', '      }');
  return lines.join('\n');
}

/** Fills `origin` and `datetime` as `createNotification` does (`??=`), then checks them. The
 * origin's check (a pattern) runs once per distinct origin: the last valid one is remembered. */
function defaults(properties: Shape['properties'], refs: Refs): string[] {
  const origin = check(properties['origin'] as JsonSchema, 'o', refs);
  return [
    '  p.origin ??= defaultOrigin;',
    '  p.datetime ??= now;',
    '  const o = p.origin;',
    `  if (o !== lastOrigin) { if (!(${origin})) return undefined; lastOrigin = o; }`,
    `  const d = p.datetime;`,
    `  if (!(${check(properties['datetime'] as JsonSchema, 'd', refs)})) return undefined;`,
  ];
}

/** The name under which the generated code finds `value`. */
export function ref(refs: Refs, value: unknown): string {
  refs.push(value);
  return `r${refs.length - 1}`;
}

/**
 * A JavaScript expression true when `x` is valid against `schema`: the generated code ajv writes
 * for the shapes `field` builds (string, number, boolean, bounded integer, enum of strings and
 * finite numbers), a call to the schema's own ajv validator for any other.
 */
export function check(schema: JsonSchema, x: string, refs: Refs): string {
  const keys = Object.keys(schema).sort().join(',');
  const type = schema['type'];
  if (keys === 'type' && (type === 'string' || type === 'number' || type === 'boolean')) {
    return `typeof ${x} === "${type}"`;
  }
  const { minimum, maximum } = schema;
  if (keys === 'maximum,minimum,type' && type === 'integer' && finite(minimum) && finite(maximum)) {
    return `typeof ${x} === "number" && !(${x} % 1) && !isNaN(${x}) && ${x} <= ${maximum} && ${x} >= ${minimum}`;
  }
  const members = schema['enum'];
  if (keys === 'enum' && Array.isArray(members) && members.length > 0 && members.every(literal)) {
    return members.map((m) => `${x} === ${JSON.stringify(m)}`).join(' || ');
  }
  return `${ref(refs, ajv.compile(schema))}(${x})`;
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function literal(value: unknown): boolean {
  return typeof value === 'string' || finite(value);
}
