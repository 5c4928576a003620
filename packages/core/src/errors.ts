/**
 * The error model: one base class with a string `code` that callers branch on, and `cause`
 * always passed on. Outcomes the protocol defines (a failed registration, `moreFollows`) are
 * values, not exceptions. Every code is listed in `docs/errors.md`.
 */
export const ErrorCode = {
  Closed: 'ERR_CLOSED',
  Timeout: 'ERR_TIMEOUT',
  Aborted: 'ERR_ABORTED',
  InvalidArgument: 'ERR_INVALID_ARGUMENT',
  Config: 'ERR_CONFIG',
  Protocol: 'ERR_PROTOCOL',
  Conflict: 'ERR_CONFLICT',
  NotFound: 'ERR_NOT_FOUND',
  Backend: 'ERR_BACKEND',
  Bus: 'ERR_BUS',
  Unsupported: 'ERR_UNSUPPORTED',
  /** A connection could not be established, or the peer rejected it (e.g. eventer init error).
   * Usually retryable once the peer or the configuration is fixed. */
  Refused: 'ERR_REFUSED',
  /** The storage is held by another process (two servers must never share one storage). */
  Locked: 'ERR_LOCKED',
  /** A process application's policy failed on an upstream event (the event it failed on and the
   * follower are named; the policy's error is the `cause`). */
  Processing: 'ERR_PROCESSING',
  /** An unexpected failure inside the server (a bug); the HTTP API answers it with 500. */
  Internal: 'ERR_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every error eventum throws on purpose. */
export class EventumError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** True when `error` is an {@link EventumError} (optionally with the given code). Duck-typed so it
 * works across duplicate copies of this package. */
export function isEventumError(error: unknown, code?: ErrorCode): error is EventumError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown };
  if (typeof candidate.code !== 'string' || !candidate.code.startsWith('ERR_')) return false;
  return code === undefined || candidate.code === code;
}

/** A resource was used after (or while) it closed. */
export class ClosedError extends EventumError {
  constructor(message = 'closed', options?: ErrorOptions) {
    super(ErrorCode.Closed, message, options);
  }
}

/** Malformed bytes on the wire or in storage. `offset` is where decoding failed, if known. */
export class ProtocolError extends EventumError {
  readonly offset: number | undefined;

  constructor(message: string, options?: ErrorOptions & { offset?: number }) {
    super(ErrorCode.Protocol, message, options);
    this.offset = options?.offset;
  }
}

/** One problem found while validating configuration: where (`path`, JSON-pointer style) and what. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Configuration rejected; `issues` lists every problem found, not only the first. */
export class ConfigError extends EventumError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: ErrorOptions) {
    const lines = issues.map((i) => `  ${i.path || '/'}: ${i.message}`).join('\n');
    super(ErrorCode.Config, `invalid configuration:\n${lines}`, options);
    this.issues = issues;
  }
}

/** A programmer error: an argument outside its domain. The message names the argument. */
export function invalidArgument(message: string, options?: ErrorOptions): EventumError {
  return new EventumError(ErrorCode.InvalidArgument, message, options);
}
