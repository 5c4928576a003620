import ajvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

import { EventumError, ErrorCode } from '@eventum/core';

import type { Kind } from './kind.js';

/** One thing wrong with a notification: the field (`origin`, `state`, `startupNames/2`) and what. */
export interface NotificationProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * A notification refused on publish (nothing was published) or on receipt (it was skipped):
 * `ERR_INVALID_ARGUMENT`, with the kind, the first offending field and every problem found.
 */
export class NotificationError extends EventumError {
  readonly kind: string;
  readonly field: string;
  readonly problems: readonly NotificationProblem[];

  constructor(kind: string, problems: readonly NotificationProblem[], options?: ErrorOptions) {
    const text = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    super(ErrorCode.InvalidArgument, `notification ${kind}: ${text}`, options);
    this.kind = kind;
    this.field = problems[0]?.field ?? '';
    this.problems = problems;
  }
}

// ajv is CommonJS; under NodeNext its class is the default export's `default`. Each kind's
// schema is compiled once per instance (cached by kind object): a fast validator that stops at
// the first error, and one that lists them all, used only for a payload already refused.
const fast = new ajvModule.default({ strict: false });
const thorough = new ajvModule.default({ allErrors: true, strict: false });
const fastChecks = new WeakMap<Kind, ValidateFunction>();
const thoroughChecks = new WeakMap<Kind, ValidateFunction>();

function compiled(ajv: typeof fast, cache: WeakMap<Kind, ValidateFunction>, kind: Kind) {
  let check = cache.get(kind);
  if (check === undefined) {
    check = ajv.compile(kind.schema);
    cache.set(kind, check);
  }
  return check;
}

/** True when `payload` is valid against `kind`'s JSON Schema. */
export function isValid(kind: Kind, payload: unknown): boolean {
  return compiled(fast, fastChecks, kind)(payload);
}

/** Every problem of `payload` against `kind`'s JSON Schema (empty when it is valid). */
export function schemaProblems(kind: Kind, payload: unknown): NotificationProblem[] {
  if (isValid(kind, payload)) return [];
  const check = compiled(thorough, thoroughChecks, kind);
  check(payload);
  return (check.errors ?? []).map(toProblem);
}

function toProblem(error: ErrorObject): NotificationProblem {
  const path = error.instancePath.replace(/^\//, '');
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return { field: join(path, extra), message: 'unknown field' };
    }
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return { field: join(path, missing), message: 'is required' };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return { field: path, message: `must be one of ${allowed.map(String).join(', ')}` };
    }
    case 'not':
      return { field: path, message: 'must not be "unknown"' };
    case 'pattern':
      return { field: path, message: 'must be dot-separated tokens without whitespace, * or >' };
    default:
      return { field: path, message: error.message ?? 'is invalid' };
  }
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}/${name}`;
}
