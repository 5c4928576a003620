import {
  eventSchema,
  eventsResponseSchema,
  problemSchema,
  queryBodySchema,
  queryResponseSchema,
  registerBodySchema,
  statusSchema,
} from './schemas.js';
import {
  monitorDataSchema,
  monitorRemovedSchema,
  monitorSubscribeBodySchema,
  monitorSubscribedSchema,
} from './monitor-routes.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const problems = {
  default: {
    description: 'RFC 9457 problem details with an `ERR_*` code',
    content: { 'application/problem+json': { schema: problemSchema } },
  },
};
const sessionParameter = {
  name: 'session',
  in: 'path',
  required: true,
  description: 'A session id the client chooses: 1–128 of `A-Z a-z 0-9 . _ ~ -`',
  schema: { type: 'string' },
};
const removed = {
  200: { description: 'How many subscriptions ended', content: json(monitorRemovedSchema) },
  ...problems,
};
const typesParameter = {
  name: 'types',
  in: 'query',
  description: 'Type patterns as `a/b/*` texts; repeat for more. Absent means all.',
  schema: { type: 'array', items: { type: 'string' } },
  style: 'form',
  explode: true,
};

/**
 * The OpenAPI 3.1 document served at `/openapi.json`. Its request schemas are the ones fastify
 * validates with; the API tests validate every response against its response schemas.
 */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'eventum HTTP API',
    version: '0.1.0',
    description: 'Register, query and subscribe to events; see docs/http-api.md.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: { Event: eventSchema, Problem: problemSchema },
  },
  security: [{}, { bearer: [] }],
  paths: {
    '/api/register': {
      post: {
        summary: 'Register events as one session',
        parameters: [
          { name: 'wait', in: 'query', schema: { enum: ['none', 'registered', 'persisted'] } },
        ],
        requestBody: { required: true, content: json(registerBodySchema) },
        responses: {
          200: { description: 'The events as registered', content: json(eventsResponseSchema) },
          202: { description: 'Queued (`wait=none`)' },
          ...problems,
        },
      },
    },
    '/api/query': {
      post: {
        summary: 'Query latest, timeseries or server events; pages carry the next body',
        requestBody: { required: true, content: json(queryBodySchema) },
        responses: {
          200: { description: 'One page', content: json(queryResponseSchema) },
          ...problems,
        },
      },
    },
    '/api/latest': {
      get: {
        summary: 'The latest event of every type selected',
        parameters: [typesParameter],
        responses: {
          200: { description: 'Events', content: json(queryResponseSchema) },
          ...problems,
        },
      },
    },
    '/api/status': {
      get: {
        summary: 'Server status and connected clients',
        responses: { 200: { description: 'Status', content: json(statusSchema) }, ...problems },
      },
    },
    '/api/live': {
      get: {
        summary: 'WebSocket: live events; send {"subscriptions": [...], "persisted"?} to refilter',
        parameters: [typesParameter],
        responses: { 101: { description: 'Switching protocols' }, ...problems },
      },
    },
    '/api/stream': {
      get: {
        summary: 'Server-Sent Events: snapshot of latest values, then live events',
        parameters: [typesParameter],
        responses: {
          200: { description: 'An event stream', content: { 'text/event-stream': {} } },
          ...problems,
        },
      },
    },
    '/api/notify/monitor/{session}': {
      get: {
        summary: "The session's notifications since `since` or its previous poll",
        parameters: [
          sessionParameter,
          { name: 'since', in: 'query', schema: { type: 'number' } },
          {
            name: 'subscription',
            in: 'query',
            description: 'Subscription ids; repeat for more. Absent means all.',
            schema: { type: 'array', items: { type: 'string' } },
            style: 'form',
            explode: true,
          },
        ],
        responses: {
          200: { description: 'Per subscription', content: json(monitorDataSchema) },
          ...problems,
        },
      },
      delete: {
        summary: 'End every subscription of the session',
        parameters: [sessionParameter],
        responses: removed,
      },
    },
    '/api/notify/monitor/{session}/subscriptions': {
      post: {
        summary: 'Subscribe the session to notifications by kind and origin',
        parameters: [sessionParameter],
        requestBody: { content: json(monitorSubscribeBodySchema) },
        responses: {
          201: { description: 'Subscribed', content: json(monitorSubscribedSchema) },
          ...problems,
        },
      },
    },
    '/api/notify/monitor/{session}/subscriptions/{id}': {
      delete: {
        summary: 'End one subscription of the session',
        parameters: [
          sessionParameter,
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
        ],
        responses: removed,
      },
    },
    '/healthz': {
      get: { summary: 'The process answers', responses: { 200: { description: 'ok' } } },
    },
    '/readyz': {
      get: {
        summary: 'The engine is operational',
        responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } },
      },
    },
    '/metrics': {
      get: { summary: 'Prometheus text format', responses: { 200: { description: 'metrics' } } },
    },
  },
} as const;
