import { ErrorCode, EventumError, isEventumError, toError } from '@eventum/core';

/** An RFC 9457 problem document with eventum's `ERR_*` code. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
}

/** The HTTP status each code is answered with (anything else: 500). */
const STATUS: Readonly<Record<string, number>> = {
  [ErrorCode.InvalidArgument]: 400,
  [ErrorCode.Protocol]: 400,
  [ErrorCode.Refused]: 401,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.Unsupported]: 415,
  [ErrorCode.Closed]: 503,
  [ErrorCode.Timeout]: 504,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A problem answer: `code` decides `type`, `status` defaults to the code's. */
export function problem(code: string, detail: string, status = STATUS[code] ?? 500): Problem {
  return {
    type: `https://eventum.dev/errors#${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
  };
}

/** A thrown error as a problem: eventum errors keep their code; fastify's own are mapped. */
export function problemFromError(error: unknown): Problem {
  const e = toError(error) as Error & {
    code?: unknown;
    statusCode?: unknown;
    validation?: unknown;
  };
  if (e instanceof ProblemError) return problem(e.code, e.message, e.status);
  if (isEventumError(e)) return problem(e.code, e.message);
  if (e.validation !== undefined) return problem(ErrorCode.InvalidArgument, e.message, 400);
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 415) return problem(ErrorCode.Unsupported, e.message, 415);
  if (status >= 400 && status < 500) return problem(ErrorCode.InvalidArgument, e.message, status);
  return problem(ErrorCode.Internal, 'internal error; the server log has the details', 500);
}

/** An error carrying a problem for the error handler (thrown inside route handlers). */
export class ProblemError extends EventumError {
  readonly status: number;
  constructor(code: ErrorCode, message: string, status: number) {
    super(code, message);
    this.status = status;
  }
}
