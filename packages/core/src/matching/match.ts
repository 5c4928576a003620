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
  const patternTokens = pattern.split('.');
  const subjectTokens = subject.split('.');
  for (let i = 0; i < patternTokens.length; i++) {
    const token = patternTokens[i];
    if (token === '>') return i < subjectTokens.length;
    const actual = subjectTokens[i];
    if (actual === undefined) return false;
    if (token === '*' ? actual === '' : token !== actual) return false;
  }
  return patternTokens.length === subjectTokens.length;
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
