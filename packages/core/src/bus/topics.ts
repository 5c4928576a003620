import { invalidArgument } from '../errors.js';
import type { EventType } from '../model/event-type.js';

const badSegment = /[.*>\s]/;

/**
 * Checks one identifier segment of a topic (DECNET's `_reject_tokens`): empty, `.`, `*`, `>` and
 * any whitespace are rejected with `ERR_INVALID_ARGUMENT`; everything else (`:` included) is
 * kept. Returns the segment.
 */
export function topicSegment(segment: string): string {
  if (segment === '' || badSegment.test(segment)) {
    throw invalidArgument(`invalid topic segment ${JSON.stringify(segment)}`);
  }
  return segment;
}

/** Joins validated segments with `.`: `topic('decky', id, 'state')`. */
export function topic(...segments: readonly string[]): string {
  if (segments.length === 0) throw invalidArgument('a topic needs at least one segment');
  return segments.map(topicSegment).join('.');
}

/** A constant prefix plus a dotted leaf such as `bus.health`: only an empty leaf (or an empty
 * token in it) is rejected. */
function withLeaf(prefix: string, leaf: string): string {
  if (leaf === '' || leaf.split('.').some((token) => token === '' || badSegment.test(token))) {
    throw invalidArgument(`invalid topic leaf ${JSON.stringify(leaf)}`);
  }
  return `${prefix}.${leaf}`;
}

/** DECNET's topic builders for the families eventum's helpers use. */
export const topics = {
  /** `system.<leaf>`, e.g. `system('bus.health')`. */
  system: (leaf: string): string => withLeaf('system', leaf),
  /** `system.<worker>.health`: a worker's heartbeat. */
  systemHealth: (worker: string): string => topic('system', worker, 'health'),
  /** `system.<worker>.control`: commands to a worker (`{ action: 'stop' }`). */
  systemControl: (worker: string): string => topic('system', worker, 'control'),
} as const;

const escapable = /[~.*>\s\p{Cc}]/u;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Escapes one event-type segment into a valid NATS token, reversibly: an empty segment becomes
 * `~`; each `~`, `.`, `*`, `>`, whitespace or control character becomes `~` followed by the two
 * upper-case hex digits of each of its UTF-8 bytes (`a.b` → `a~2Eb`). Other characters pass.
 */
export function escapeSubjectToken(segment: string): string {
  if (segment === '') return '~';
  let out = '';
  for (const char of segment) {
    if (!escapable.test(char)) {
      out += char;
      continue;
    }
    for (const byte of encoder.encode(char))
      out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Reverses {@link escapeSubjectToken}; throws `ERR_INVALID_ARGUMENT` for a malformed token. */
export function unescapeSubjectToken(token: string): string {
  if (token === '~') return '';
  if (!token.includes('~')) return token;
  const bytes: number[] = [];
  for (let i = 0; i < token.length;) {
    if (token[i] === '~') {
      const hex = token.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex))
        throw invalidArgument(`malformed escape in ${JSON.stringify(token)}`);
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      const codePoint = token.codePointAt(i) as number;
      const char = String.fromCodePoint(codePoint);
      bytes.push(...encoder.encode(char));
      i += char.length;
    }
  }
  try {
    return decoder.decode(new Uint8Array(bytes));
  } catch (error) {
    throw invalidArgument(`malformed escape in ${JSON.stringify(token)}`, { cause: error });
  }
}

/**
 * The subject an event of `type` is published on: `prefix` (validated tokens, may be empty)
 * followed by each type segment escaped with {@link escapeSubjectToken}. A type with no segments
 * maps to the single token `~~` (never produced by escaping).
 */
export function eventTypeToSubject(prefix: string, type: EventType): string {
  const tokens = type.length === 0 ? ['~~'] : type.map(escapeSubjectToken);
  return prefix === '' ? tokens.join('.') : `${topic(...prefix.split('.'))}.${tokens.join('.')}`;
}

/**
 * The event type of a message on `subject`: the tokens after `prefix`, unescaped. Throws
 * `ERR_INVALID_ARGUMENT` when `subject` is not under `prefix` or a token is malformed.
 */
export function subjectToEventType(prefix: string, subject: string): EventType {
  let rest = subject;
  if (prefix !== '') {
    if (!subject.startsWith(`${prefix}.`)) {
      throw invalidArgument(
        `subject ${JSON.stringify(subject)} is not under ${JSON.stringify(prefix)}`,
      );
    }
    rest = subject.slice(prefix.length + 1);
  }
  if (rest === '~~') return [];
  return rest.split('.').map(unescapeSubjectToken);
}
