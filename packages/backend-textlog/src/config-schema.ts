import {
  DEFAULT_CACHE_FILES,
  DEFAULT_FLUSH_PERIOD,
  DEFAULT_MAX_RESULTS,
  DEFAULT_PATH,
  DEFAULT_SPAN,
} from './config.js';

/** JSON Schema of the textlog backend section; validators that apply `default`s fill them in. */
export const textlogConfigSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    type: { const: 'textlog' },
    path: { type: 'string', minLength: 1, default: DEFAULT_PATH },
    span: { type: 'integer', minimum: 1, default: DEFAULT_SPAN },
    flush_period: { type: 'number', minimum: 0, default: DEFAULT_FLUSH_PERIOD },
    durability: { enum: ['buffered', 'committed'], default: 'buffered' },
    max_results: { type: 'integer', minimum: 1, default: DEFAULT_MAX_RESULTS },
    cache_files: { type: 'integer', minimum: 1, default: DEFAULT_CACHE_FILES },
  },
  additionalProperties: false,
};
