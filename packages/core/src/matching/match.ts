import type { EventType } from '../model/event-type.js';

/**
 * Hat's `matches_query_type`: does `eventType` match `queryType`? A trailing `*` matches zero or
 * more segments, `?` exactly one segment, anything else only an equal segment. A `*` that is not
 * last is compared literally (validate query types with `validateQueryType` at the boundary).
 * An event segment that is literally `?` or `*` cannot be matched specifically.
 */
export function matchesQueryType(eventType: EventType, queryType: EventType): boolean {
  let fixed = queryType.length;
  const variable = fixed > 0 && queryType[fixed - 1] === '*';
  if (variable) fixed -= 1;
  if (eventType.length < fixed) return false;
  if (eventType.length > fixed && !variable) return false;
  for (let i = 0; i < fixed; i++) {
    const segment = queryType[i];
    if (segment !== '?' && segment !== eventType[i]) return false;
  }
  return true;
}

/**
 * NATS-style subject matching on `.`-separated tokens: `*` matches exactly one non-empty token,
 * `>` matches one or more remaining tokens (anything after `>` in the pattern is ignored), other
 * tokens match equal, case-sensitive tokens. Malformed patterns (empty tokens such as `a..b`) are
 * not rejected here; check them with {@link isValidSubjectPattern} where they enter.
 */
export function matchesSubject(pattern: string, subject: string): boolean {
  // Walks both strings token by token without splitting them: the in-process bus calls this for
  // every subscription on every publish.
  let p = 0;
  let s = 0;
  for (;;) {
    const patternEnd = tokenEnd(pattern, p);
    if (patternEnd - p === 1 && pattern.charCodeAt(p) === GREATER) return s <= subject.length;
    if (s > subject.length) return false;
    const subjectEnd = tokenEnd(subject, s);
    if (patternEnd - p === 1 && pattern.charCodeAt(p) === STAR) {
      if (subjectEnd === s) return false;
    } else if (!sameToken(pattern, p, patternEnd, subject, s, subjectEnd)) {
      return false;
    }
    if (patternEnd === pattern.length) return subjectEnd === subject.length;
    p = patternEnd + 1;
    s = subjectEnd + 1;
  }
}

const STAR = 0x2a;
const GREATER = 0x3e;

function sameToken(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
) {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) {
    if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + i)) return false;
  }
  return true;
}

/** The index of the `.` ending the token that starts at `start`, or the string's length. */
function tokenEnd(text: string, start: number): number {
  const dot = text.indexOf('.', start);
  return dot === -1 ? text.length : dot;
}

/**
 * True for a well-formed subject pattern: non-empty tokens without whitespace, wildcards `*`
 * and `>` only as whole tokens, and `>` only as the last token. A plain subject (no wildcards)
 * is also a valid pattern.
 */
export function isValidSubjectPattern(pattern: string): boolean {
  const tokens = pattern.split('.');
  const last = tokens.length - 1;
  return tokens.every((token, i) => {
    if (token === '*' || (token === '>' && i === last)) return true;
    return token !== '' && !/[\s*>]/.test(token);
  });
}

/** True for a subject that can be published to: a valid pattern with no `*` or `>` token. */
export function isValidSubject(subject: string): boolean {
  return isValidSubjectPattern(subject) && !/[*>]/.test(subject);
}
