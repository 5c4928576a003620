// JSON Schemas of the HTTP API: fastify validates requests with them and /openapi.json serves
// them, so the document and the checks can never disagree.

const timestamp = {
  type: 'object',
  properties: { s: { type: 'integer' }, us: { type: 'integer', minimum: 0, maximum: 999_999 } },
  required: ['s', 'us'],
  additionalProperties: false,
} as const;

const eventId = {
  type: 'object',
  properties: {
    server: { type: 'integer', minimum: 0 },
    session: { type: 'integer', minimum: 0 },
    instance: { type: 'integer', minimum: 0 },
  },
  required: ['server', 'session', 'instance'],
  additionalProperties: false,
} as const;

const eventType = {
  description: 'Segments, or one text with `/` between segments.',
  // The text form first: ajv's array coercion would otherwise wrap a text in an array.
  anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
} as const;

const payload = {
  anyOf: [
    { type: 'null' },
    {
      type: 'object',
      properties: { data_type: { const: 'json' }, data: {} },
      required: ['data_type', 'data'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: {
        data_type: { const: 'binary' },
        binary_type: { type: 'string' },
        data: { type: 'string', description: 'base64' },
      },
      required: ['data_type', 'data'],
      additionalProperties: false,
    },
  ],
} as const;

/** An event as every response carries it (the CLI's JSON, binary data in base64). */
export const eventSchema = {
  type: 'object',
  properties: {
    id: eventId,
    type: { type: 'array', items: { type: 'string' } },
    timestamp,
    source_timestamp: { anyOf: [{ type: 'null' }, timestamp] },
    payload,
  },
  required: ['id', 'type', 'timestamp', 'source_timestamp', 'payload'],
  additionalProperties: false,
} as const;

export const registerBodySchema = {
  type: 'object',
  properties: {
    events: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          type: eventType,
          source_timestamp: { anyOf: [{ type: 'null' }, timestamp] },
          payload,
        },
        required: ['type'],
        additionalProperties: false,
      },
    },
  },
  required: ['events'],
  additionalProperties: false,
} as const;

export const registerQuerySchema = {
  type: 'object',
  properties: {
    wait: {
      enum: ['none', 'registered', 'persisted'],
      default: 'registered',
      description:
        '`none`: answer 202 once queued; `registered`: answer with the events as registered; ' +
        '`persisted`: answer once the backend flushed them.',
    },
    token: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const eventTypes = {
  anyOf: [{ type: 'null' }, { type: 'array', items: eventType }],
  description: 'Type patterns (`*`, `?`); absent or null means all.',
} as const;
const maxResults = { type: 'integer', minimum: 1 } as const;
const order = { enum: ['descending', 'ascending'] } as const;
const orderBy = { enum: ['timestamp', 'source_timestamp'] } as const;

export const queryBodySchema = {
  type: 'object',
  discriminator: { propertyName: 'type' },
  required: ['type'],
  oneOf: [
    {
      type: 'object',
      properties: { type: { const: 'latest' }, event_types: eventTypes },
      required: ['type'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: {
        type: { const: 'timeseries' },
        event_types: eventTypes,
        t_from: { anyOf: [{ type: 'null' }, timestamp] },
        t_to: { anyOf: [{ type: 'null' }, timestamp] },
        source_t_from: { anyOf: [{ type: 'null' }, timestamp] },
        source_t_to: { anyOf: [{ type: 'null' }, timestamp] },
        order,
        order_by: orderBy,
        max_results: maxResults,
        last_event_id: { anyOf: [{ type: 'null' }, eventId] },
      },
      required: ['type'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: {
        type: { const: 'server' },
        server_id: { type: 'integer', minimum: 0 },
        persisted: { type: 'boolean' },
        max_results: maxResults,
        last_event_id: { anyOf: [{ type: 'null' }, eventId] },
      },
      required: ['type', 'server_id'],
      additionalProperties: false,
    },
  ],
} as const;

export const eventsResponseSchema = {
  type: 'object',
  properties: { events: { type: 'array', items: eventSchema } },
  required: ['events'],
  additionalProperties: false,
} as const;

export const queryResponseSchema = {
  type: 'object',
  properties: {
    events: { type: 'array', items: eventSchema },
    more_follows: { type: 'boolean' },
    next: {
      description: 'The query body of the next page (null when none follows or for latest).',
      anyOf: [{ type: 'null' }, { type: 'object' }],
    },
  },
  required: ['events', 'more_follows', 'next'],
  additionalProperties: false,
} as const;

export const typesQuerySchema = {
  type: 'object',
  properties: {
    types: {
      type: 'array',
      items: { type: 'string' },
      description: 'Type patterns as `a/b/*` texts; repeat for more. Absent means all.',
    },
    token: { type: 'string', description: 'Bearer token, for clients that cannot send headers.' },
  },
  additionalProperties: false,
} as const;

export const statusSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    server_id: { type: 'integer' },
    status: { enum: ['standby', 'starting', 'operational', 'stopping'] },
    uptime_s: { type: 'number' },
    events_registered: { type: 'integer' },
    clients: {
      type: 'array',
      items: {
        type: 'object',
        properties: { protocol: { type: 'string' }, name: { type: 'string' } },
        required: ['protocol', 'name'],
      },
    },
  },
  required: ['name', 'server_id', 'status', 'uptime_s', 'events_registered', 'clients'],
} as const;

/** RFC 9457 problem details, with eventum's error code. */
export const problemSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', pattern: '^ERR_[A-Z_]+$' },
    instance: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'detail', 'code'],
} as const;
