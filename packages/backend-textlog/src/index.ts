// The public surface of @eventum/backend-textlog: explicit named exports only.

export { createTextlogBackend, textlogBackend } from './plugin.js';
export { TextlogBackend } from './textlog-backend.js';
export { textlogConfigSchema } from './config-schema.js';
export {
  DEFAULT_CACHE_FILES,
  DEFAULT_FLUSH_PERIOD,
  DEFAULT_MAX_RESULTS,
  DEFAULT_PATH,
  DEFAULT_SPAN,
} from './config.js';
export type { TextlogBackendConfig } from './config.js';
export type { SearchParams } from './extras.js';
export { formatEvent, parseEvents } from './format.js';
export { STATE_FILE } from './state.js';
