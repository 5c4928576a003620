import { check, shapeOf } from './compile.js';
import type { Refs } from './compile.js';
import type { Kind } from './kind.js';
import { isValid } from './validate.js';

/**
 * The receipt's schema check of one kind: true only for a payload the kind's schema accepts.
 * False says nothing more: the caller asks ajv, which decides and names every problem.
 */
export type PayloadCheck = (payload: unknown) => boolean;

/**
 * {@link PayloadCheck} of `kind` compiled to one function, as its publish path is (compile.ts):
 * a loop over the payload's fields, each checked with the code the builder uses for its schema
 * (the origin's pattern only when the origin differs from the last valid one), every required
 * field seen. Anything unusual (an unknown field, a field set to `undefined`) is false, left to
 * ajv. Undefined when the kind's schema is not one the builder compiles.
 */
export function compilePayloadCheck(kind: Kind): PayloadCheck | undefined {
  const shape = shapeOf(kind.schema);
  // A bit per required field in a small integer (`|` makes the 32nd negative).
  if (shape === undefined || shape.required.length > 30) return undefined;
  const bits = new Map(shape.required.map((name, i) => [name, 2 ** i]));
  const refs: Refs = [];
  const cases = Object.entries(shape.properties).map(([name, schema]) => {
    const valid = check(schema, 'x', refs);
    const lines = [`      case ${JSON.stringify(name)}:`];
    if (name === 'origin') {
      lines.push(
        `        if (x !== lastOrigin) { if (!(${valid})) return false; lastOrigin = x; }`,
      );
    } else lines.push(`        if (!(${valid})) return false;`);
    const bit = bits.get(name);
    if (bit !== undefined) lines.push(`        seen |= ${bit};`);
    lines.push('        break;');
    return lines.join('\n');
  });
  const body = [
    ...refs.map((_, i) => `const r${i} = refs[${i}];`),
    // The last origin found valid: first an object no payload can hold.
    'let lastOrigin = {};',
    'return function check(p) {',
    '  if (typeof p !== "object" || p === null || Array.isArray(p)) return false;',
    '  let seen = 0;',
    '  for (const k in p) {',
    '    const x = p[k];',
    '    switch (k) {',
    ...cases,
    '      default: return false;',
    '    }',
    '  }',
    `  return seen === ${2 ** shape.required.length - 1};`,
    '};',
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- code generated from the kind's schema, as ajv does: names and literals JSON-quoted
  const make = new Function('refs', body) as (refs: Refs) => PayloadCheck;
  return make(refs);
}

const checks = new WeakMap<Kind, PayloadCheck>();
// The kind asked for last and its check: receipts mostly come in runs of one kind.
let lastKind: Kind | undefined;
let lastCheck: PayloadCheck = () => false;

/** The schema check of `kind` a receipt makes: compiled once, else ajv's. */
export function payloadCheck(kind: Kind): PayloadCheck {
  if (kind === lastKind) return lastCheck;
  let found = checks.get(kind);
  if (found === undefined) {
    found = compilePayloadCheck(kind) ?? ((payload) => isValid(kind, payload));
    checks.set(kind, found);
  }
  lastKind = kind;
  lastCheck = found;
  return found;
}
