import { invalidArgument } from '../errors.js';

/**
 * An event type: an ordered list of string segments (`['a', 'b', 'c']`, written `a/b/c`).
 * The empty type `[]` and empty segments `''` are valid. Query types may use `?` for exactly one
 * segment and, as the last segment only, `*` for zero or more segments. Nothing stops an event
 * type from containing a literal `?` or `*` segment, but queries cannot single it out.
 */
export type EventType = readonly string[];

/**
 * Parses the `/`-separated text form, as Hat's CLI does (`str.split('/')`): `'a/b'` is
 * `['a', 'b']`, `''` is `['']` and `'a//b'` is `['a', '', 'b']`. The empty type `[]` has no text
 * form, and a segment containing `/` cannot be written; text is for humans, not for storage.
 */
export function parseEventType(text: string): EventType {
  return text.split('/');
}

/** Joins segments with `/`. Not injective: `[]` and `['']` both give `''`. */
export function formatEventType(type: EventType): string {
  return type.join('/');
}

/** True when `*` appears only as the last segment (if at all); `?` may appear anywhere. */
export function isQueryType(type: EventType): boolean {
  const last = type.length - 1;
  for (let i = 0; i < last; i++) if (type[i] === '*') return false;
  return true;
}

/** Throws `ERR_INVALID_ARGUMENT`, naming the type, unless {@link isQueryType} holds. */
export function validateQueryType(type: EventType): void {
  if (!isQueryType(type)) {
    throw invalidArgument(
      `invalid query type ${JSON.stringify(type)}: '*' is allowed only as the last segment`,
    );
  }
}
