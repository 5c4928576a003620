import { ErrorCode, Status, toError } from '@eventum/core';
import type { RegisterEvent } from '@eventum/core';
import type { FastifyInstance, FastifyReply } from 'fastify';

import { eventsJsonText, registerEventFromApi } from './api-json.js';
import type { ApiRegisterEvent } from './api-json.js';
import type { GatewayContext } from './context.js';
import { openApiDocument } from './openapi.js';
import { ProblemError } from './problem.js';
import { nextPage, queryParamsFromApi } from './query-params.js';
import type { ApiQuery } from './query-params.js';
import {
  queryBodySchema,
  registerBodySchema,
  registerQuerySchema,
  typesQuerySchema,
} from './schemas.js';

type Wait = 'none' | 'registered' | 'persisted';
const JSON_TYPE = 'application/json; charset=utf-8';

/** The JSON routes: register, query, status, health, metrics and the OpenAPI document. */
export function addRoutes(app: FastifyInstance, context: GatewayContext): void {
  app.post<{ Body: { events: ApiRegisterEvent[] }; Querystring: { wait: Wait } }>(
    '/api/register',
    { schema: { body: registerBodySchema, querystring: registerQuerySchema } },
    async (request, reply) => {
      const events = request.body.events.map((e, i) => registerEventFromApi(e, `/events/${i}`));
      return register(context, events, request.query.wait, reply);
    },
  );
  app.post<{ Body: ApiQuery }>(
    '/api/query',
    { schema: { body: queryBodySchema } },
    (request, reply) => query(context, request.body, reply),
  );
  app.get<{ Querystring: { types?: string[] } }>(
    '/api/latest',
    { schema: { querystring: typesQuerySchema } },
    (request, reply) =>
      query(context, { type: 'latest', event_types: request.query.types ?? null }, reply),
  );
  app.get('/api/status', () => status(context));
  app.get('/healthz', (_request, reply) => reply.type(JSON_TYPE).send('{"status":"ok"}'));
  app.get('/readyz', (_request, reply) => {
    const ready = context.host.status === Status.Operational;
    return reply
      .code(ready ? 200 : 503)
      .type(JSON_TYPE)
      .send(JSON.stringify({ ready, status: context.host.status }));
  });
  app.get('/metrics', (_request, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(context.renderMetrics()),
  );
  app.get('/openapi.json', () => openApiDocument);
}

async function register(
  context: GatewayContext,
  events: readonly RegisterEvent[],
  wait: Wait,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { host, metrics } = context;
  if (host.status !== Status.Operational) {
    throw new ProblemError(ErrorCode.Refused, `the server is ${host.status}, not operational`, 503);
  }
  metrics.httpRegistrations += 1;
  const registering = host.register(context.nextSource(), events);
  if (wait === 'none') {
    registering.catch((error: unknown) => context.logFailure('register', toError(error)));
    return reply.code(202).type(JSON_TYPE).send('{"accepted":true}');
  }
  const registered = await registering;
  if (registered === null) {
    // The status may have changed while the session ran.
    const now: string = host.status;
    const reason = now === Status.Operational ? 'the session failed' : `the server is ${now}`;
    throw new ProblemError(
      ErrorCode.Refused,
      `registration refused: ${reason} (see the server log)`,
      422,
    );
  }
  if (wait === 'persisted') await host.flush();
  return reply.type(JSON_TYPE).send(eventsJsonText(registered));
}

async function query(
  context: GatewayContext,
  body: ApiQuery,
  reply: FastifyReply,
): Promise<FastifyReply> {
  context.metrics.httpQueries += 1;
  const result = await context.host.query(queryParamsFromApi(body));
  const next = nextPage(body, result);
  const text = eventsJsonText(result.events, {
    more_follows: String(result.moreFollows),
    next: JSON.stringify(next),
  });
  return reply.type(JSON_TYPE).send(text);
}

function status(context: GatewayContext): Record<string, unknown> {
  const { host, metrics } = context;
  return {
    name: host.name,
    server_id: host.serverId,
    status: host.status,
    uptime_s: (Date.now() - context.startedMs) / 1000,
    events_registered: metrics.eventsRegistered,
    clients: [...host.clients(), ...context.liveClients()],
  };
}
