import ajvModule from 'ajv';
import type { ErrorObject } from 'ajv';

import type { ConfigIssue } from '@eventum/core';

// ajv is CommonJS; under NodeNext its class is the default export's `default`.
const ajv = new ajvModule.default({ allErrors: true, useDefaults: true, strict: false });

/**
 * Validates `value` against the JSON Schema `schema`, filling schema defaults in place.
 * Returns every problem found, each with its JSON-pointer path under `prefix`.
 */
export function validate(
  schema: Record<string, unknown>,
  value: unknown,
  prefix = '',
): ConfigIssue[] {
  const check = ajv.compile(schema);
  if (check(value)) return [];
  return (check.errors ?? []).map((error) => toIssue(error, prefix));
}

function toIssue(error: ErrorObject, prefix: string): ConfigIssue {
  const path = `${prefix}${error.instancePath}`;
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return { path: `${path}/${extra}`, message: 'unknown property' };
    }
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return { path: `${path}/${missing}`, message: 'is required' };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return {
        path,
        message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    }
    default:
      return { path, message: error.message ?? 'is invalid' };
  }
}
