import { fieldOf } from '@eventum/notify';
import type { Kind } from '@eventum/notify';

import { UsageError } from '../usage.js';

/**
 * Turns `--field name=value` options into a notification input, typed by the kind's schema:
 * numbers and integers become numbers, booleans `true`/`false`, arrays and objects are JSON, enum
 * fields take a member name or a value. Unknown names are passed on as strings, for the kind's
 * check to refuse with its own message.
 */
export function fieldsInput(kind: Kind, fields: readonly string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const option of fields) {
    const eq = option.indexOf('=');
    if (eq <= 0) throw new UsageError(`--field must be name=value, got ${JSON.stringify(option)}`);
    const name = option.slice(0, eq);
    if (Object.hasOwn(input, name)) throw new UsageError(`--field ${name} given twice`);
    input[name] = fieldValue(kind, name, option.slice(eq + 1));
  }
  return input;
}

function fieldValue(kind: Kind, name: string, text: string): unknown {
  const spec = fieldOf(kind, name);
  if (spec === undefined) return text;
  if (spec.members !== undefined) {
    if (Object.hasOwn(spec.members, text)) return text;
    return Object.values(spec.members).find((v) => String(v) === text) ?? text;
  }
  switch (spec.schema['type']) {
    case 'number':
    case 'integer':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'array':
    case 'object':
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new UsageError(`--field ${name}: not JSON: ${(error as Error).message}`);
      }
    default:
      return text;
  }
}
