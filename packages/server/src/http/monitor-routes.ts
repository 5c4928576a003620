import { ErrorCode } from '@eventum/core';
import type { FastifyInstance } from 'fastify';

import type { GatewayContext, MonitorPort } from './context.js';
import { ProblemError } from './problem.js';

/** A session id: chosen by the client, one path segment. */
const sessionParam = { type: 'string', pattern: '^[A-Za-z0-9._~-]{1,128}$' } as const;
const subscriptionIdParam = { type: 'string', minLength: 1, maxLength: 64 } as const;
const subscriptionIdsParam = { type: 'array', items: subscriptionIdParam } as const;

export const monitorSessionParamsSchema = {
  type: 'object',
  properties: { session: sessionParam },
  required: ['session'],
} as const;

export const monitorSubscriptionParamsSchema = {
  type: 'object',
  properties: { session: sessionParam, id: subscriptionIdParam },
  required: ['session', 'id'],
} as const;

export const monitorSubscribeBodySchema = {
  type: 'object',
  properties: {
    kind: { type: ['string', 'integer'], description: 'Kind name or id; absent: any kind' },
    origin: { type: 'string', minLength: 1, description: 'Origin or pattern; absent: any' },
  },
  additionalProperties: false,
} as const;

export const monitorDataQuerySchema = {
  type: 'object',
  properties: {
    since: { type: 'number', description: 'Epoch seconds; absent: since the previous poll' },
    subscription: subscriptionIdsParam,
  },
  additionalProperties: false,
} as const;

export const monitorSubscribedSchema = {
  type: 'object',
  properties: { session: { type: 'string' }, subscriptionId: { type: 'string' } },
  required: ['session', 'subscriptionId'],
} as const;

export const monitorRemovedSchema = {
  type: 'object',
  properties: { session: { type: 'string' }, removed: { type: 'integer', minimum: 0 } },
  required: ['session', 'removed'],
} as const;

/** A notification as `@eventum/notify` delivers it (`data`: the kind's checked fields). */
const notificationSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    kindId: { type: 'integer' },
    id: { type: 'string' },
    topic: { type: 'string' },
    origin: { type: 'string' },
    data: { type: 'object' },
  },
  required: ['kind', 'kindId', 'id', 'topic', 'origin', 'data'],
} as const;

/** One subscription's share of a poll. */
const subscriptionDataSchema = {
  type: 'object',
  properties: {
    subscriptionId: { type: 'string' },
    pattern: { type: 'string' },
    notifications: { type: 'array', items: notificationSchema },
    dropped: { type: 'integer', minimum: 0 },
  },
  required: ['subscriptionId', 'pattern', 'notifications', 'dropped'],
} as const;

export const monitorDataSchema = {
  type: 'object',
  properties: {
    session: { type: 'string' },
    data: { type: 'array', items: subscriptionDataSchema },
  },
  required: ['session', 'data'],
} as const;

type Session = { Params: { session: string } };

/**
 * The event monitor's routes (docs/http-api.md, "The event monitor"): subscribe a session,
 * poll it, unsubscribe one or all. Without a bus they answer 404 saying so. Subscriptions of
 * every session together are capped at `maxSubscriptions` (503 beyond).
 */
export function addMonitorRoutes(
  app: FastifyInstance,
  context: GatewayContext,
  maxSubscriptions: number,
): void {
  const base = '/api/notify/monitor/:session';
  app.post<Session & { Body: { kind?: string | number; origin?: string } }>(
    `${base}/subscriptions`,
    { schema: { params: monitorSessionParamsSchema, body: monitorSubscribeBodySchema } },
    async (request, reply) => {
      const monitor = monitorOf(context);
      if (monitor.subscriptionCount >= maxSubscriptions) {
        const detail = `the monitor holds ${maxSubscriptions} subscriptions, its maximum`;
        throw new ProblemError(ErrorCode.Refused, detail, 503);
      }
      const { session } = request.params;
      const subscriptionId = await monitor.subscribe(session, request.body ?? {});
      return reply.code(201).send({ session, subscriptionId });
    },
  );
  app.get<Session & { Querystring: { since?: number; subscription?: string[] } }>(
    base,
    { schema: { params: monitorSessionParamsSchema, querystring: monitorDataQuerySchema } },
    (request) => {
      const { session } = request.params;
      const { since, subscription } = request.query;
      const data = monitorOf(context).getData(session, {
        ...(since === undefined ? {} : { since }),
        ...(subscription === undefined ? {} : { subscriptionIds: subscription }),
      });
      return { session, data };
    },
  );
  app.delete<{ Params: { session: string; id: string } }>(
    `${base}/subscriptions/:id`,
    { schema: { params: monitorSubscriptionParamsSchema } },
    async (request) => {
      const { session, id } = request.params;
      return { session, removed: await monitorOf(context).unsubscribe(session, id) };
    },
  );
  app.delete<Session>(base, { schema: { params: monitorSessionParamsSchema } }, async (request) => {
    const { session } = request.params;
    return { session, removed: await monitorOf(context).unsubscribe(session) };
  });
}

function monitorOf(context: GatewayContext): MonitorPort {
  if (context.monitor !== undefined) return context.monitor;
  const detail = 'the event monitor needs a bus: configure the server’s bus section';
  throw new ProblemError(ErrorCode.NotFound, detail, 404);
}
