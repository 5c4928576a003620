/*
 * JSON Schemas of the server configuration's optional sections (\`bus\`, \`redundancy\`,
 * \`http_server\`); \`config.ts\` holds the whole file's schema and the section types.
 */

/** Where the eventer and HTTP servers listen unless configured (Hat's eventer default). */
export const DEFAULT_HOST = '127.0.0.1';

export const positiveNumber = { type: 'number', exclusiveMinimum: 0 } as const;
/** Dot-separated NATS tokens without wildcards or whitespace. */
const subjectPrefix = { type: 'string', pattern: '^[^.*>\\s]+(\\.[^.*>\\s]+)*$' } as const;

export const busSchema = {
  type: 'object',
  description: 'The bus transport (`type`: in-process, null, nats, jetstream) and the bridge.',
  properties: {
    type: { type: 'string' },
    publish: {
      type: 'object',
      properties: {
        enabled: { type: 'boolean', default: true },
        prefix: subjectPrefix,
        persisted: { type: 'boolean', default: false },
      },
      additionalProperties: false,
      default: {},
    },
    subscribe: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          subjects: { type: 'string', minLength: 1 },
          prefix: { anyOf: [{ const: '' }, subjectPrefix], default: '' },
          queue: { type: 'string', pattern: '^[^.*>\\s]+$' },
        },
        required: ['subjects'],
        additionalProperties: false,
      },
      default: [],
    },
    lifecycle: {
      type: 'object',
      properties: {
        enabled: { type: 'boolean', default: false },
        system: { type: 'string', pattern: '^[A-Za-z0-9-]+$', default: 'eventum' },
        origin: { ...subjectPrefix, not: { const: 'unknown' } },
      },
      additionalProperties: false,
      default: {},
    },
  },
  required: ['type'],
} as const;

export const redundancySchema = {
  type: 'object',
  description: 'Hat-style redundancy: peers synced with, and the lease that picks the active one.',
  properties: {
    peers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          server_id: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
          host: { type: 'string', minLength: 1 },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
        },
        required: ['server_id', 'host', 'port'],
        additionalProperties: false,
      },
      default: [],
    },
    lease: {
      type: 'object',
      properties: {
        type: { const: 'postgres' },
        url: { type: 'string', pattern: '^postgres(ql)?://' },
        key: { type: 'string', minLength: 1 },
        check_period: { ...positiveNumber, default: 0.5 },
      },
      required: ['type', 'url', 'key'],
      additionalProperties: false,
    },
    reconnect_delay: { ...positiveNumber, default: 5 },
  },
  required: ['lease'],
  additionalProperties: false,
} as const;

export const httpServerSchema = {
  type: 'object',
  description: 'The HTTP + WebSocket API and the web console.',
  properties: {
    enabled: { type: 'boolean', default: true },
    host: { type: 'string', default: DEFAULT_HOST },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    tokens: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
    accept_server_token: { type: 'boolean', default: false },
    cors_origins: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
    max_body_bytes: { type: 'integer', minimum: 1024, default: 16 * 1024 * 1024 },
    max_send_queue_bytes: { type: 'integer', minimum: 1024, default: 16 * 1024 * 1024 },
    keep_alive_interval: { ...positiveNumber, default: 15 },
    max_subscribers: { type: 'integer', minimum: 1, default: 1000 },
    console: { type: 'boolean', default: true },
    tls: {
      type: 'object',
      description: 'HTTPS with these PEM files; without it, plain HTTP.',
      properties: {
        cert_path: { type: 'string', minLength: 1 },
        key_path: { type: 'string', minLength: 1 },
      },
      required: ['cert_path', 'key_path'],
      additionalProperties: false,
    },
  },
  additionalProperties: false,
  default: {},
} as const;
