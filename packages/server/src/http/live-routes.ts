import type { ServerResponse } from 'node:http';

import { ErrorCode, invalidArgument, toError } from '@eventum/core';
import type { EventType } from '@eventum/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';

import { apiEventType, eventsJsonText } from './api-json.js';
import type { GatewayContext } from './context.js';
import { subscriptionOf } from './live-hub.js';
import type { LiveSubscriber } from './live-hub.js';
import { ProblemError, problemFromError } from './problem.js';
import { typesQuerySchema } from './schemas.js';

/** Limits of the live routes (from `http_server`). */
export interface LiveLimits {
  readonly maxSendQueueBytes: number;
  readonly keepAliveMs: number;
  readonly maxSubscribers: number;
}

/** WebSocket close code for a slow consumer (application range, RFC 6455 §7.4.2). */
export const WS_SLOW_CONSUMER = 4008;
type TypesQuery = { Querystring: { types?: string[] } };

/** `/api/live` (WebSocket) and `/api/stream` (SSE); returns a function that ends them all. */
export function addLiveRoutes(
  app: FastifyInstance,
  context: GatewayContext,
  limits: LiveLimits,
): () => void {
  const open = new Set<() => void>();
  const schema = { querystring: typesQuerySchema };
  app.get<TypesQuery>('/api/live', { websocket: true, schema }, (socket, request) => {
    if (context.hub.size >= limits.maxSubscribers) {
      socket.close(1013, 'too many subscribers');
      return;
    }
    const types = patterns(request.query.types);
    const end = serveWebSocket(socket, context, limits, types, peerName(request));
    open.add(end);
    socket.once('close', () => open.delete(end));
  });
  app.get<TypesQuery>('/api/stream', { schema }, (request, reply) => {
    if (context.hub.size >= limits.maxSubscribers) {
      throw new ProblemError(ErrorCode.Closed, 'too many subscribers', 503);
    }
    const end = serveSse(request, reply, context, limits);
    open.add(end);
    request.raw.once('close', () => open.delete(end));
  });
  return () => {
    for (const end of open) end();
  };
}

/** `address:port` of the request's peer. */
function peerName(request: FastifyRequest): string {
  const { remoteAddress = '', remotePort = 0 } = request.socket;
  return remoteAddress.includes(':')
    ? `[${remoteAddress}]:${remotePort}`
    : `${remoteAddress}:${remotePort}`;
}

function patterns(texts: readonly string[] | undefined): EventType[] | undefined {
  return texts?.map((t, i) => [...apiEventType(t, `/types/${i}`)]);
}

function serveWebSocket(
  socket: WebSocket,
  context: GatewayContext,
  limits: LiveLimits,
  types: EventType[] | undefined,
  name: string,
): () => void {
  const { hub } = context;
  const subscriber = webSocketSubscriber(socket, context, limits, types, name);
  const subscribed = (list: EventType[] | undefined): void => {
    const persisted = subscriber.persisted;
    socket.send(JSON.stringify({ type: 'subscribed', subscriptions: list ?? [['*']], persisted }));
  };
  hub.add(subscriber);
  socket.on('close', () => hub.delete(subscriber));
  socket.on('message', (data: RawData) => {
    try {
      const change = readFilter(data);
      subscriber.subscription = subscriptionOf(change.subscriptions);
      if (change.persisted !== undefined) subscriber.persisted = change.persisted;
      subscribed(change.subscriptions);
    } catch (error) {
      // An error frame, not a close: a typo in a filter keeps the socket (Theia's /live).
      socket.send(JSON.stringify({ type: 'error', problem: problemFromError(error) }));
    }
  });
  subscribed(types);
  return () => socket.close(1001, 'server shutting down');
}

/** A WebSocket's subscriber: closes the socket as a slow consumer past the queue limit. */
function webSocketSubscriber(
  socket: WebSocket,
  { hub }: GatewayContext,
  limits: LiveLimits,
  types: EventType[] | undefined,
  name: string,
): LiveSubscriber {
  const subscriber: LiveSubscriber = {
    protocol: 'websocket',
    name,
    subscription: subscriptionOf(types),
    persisted: false,
    get bufferedBytes() {
      return socket.bufferedAmount;
    },
    deliver(text) {
      if (socket.bufferedAmount > limits.maxSendQueueBytes) {
        hub.websocketSlowConsumers += 1;
        hub.delete(subscriber);
        socket.close(WS_SLOW_CONSUMER, 'slow consumer');
        return;
      }
      socket.send(`{"type":"events",${text.slice(1)}`);
    },
  };
  return subscriber;
}

/** A filter change: `{"subscriptions": [...patterns], "persisted"?: boolean}`. */
function readFilter(data: RawData): { subscriptions: EventType[]; persisted?: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(messageText(data));
  } catch (error) {
    throw invalidArgument(`message is not JSON: ${toError(error).message}`);
  }
  const message = value as { subscriptions?: unknown; persisted?: unknown } | null;
  const list = message?.subscriptions;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string' || isSegments(t))) {
    throw invalidArgument('subscriptions must be an array of type patterns ("a/*" or ["a","*"])');
  }
  const persisted = message?.persisted;
  if (persisted !== undefined && typeof persisted !== 'boolean') {
    throw invalidArgument('persisted must be a boolean');
  }
  const subscriptions = list.map((t: string | string[], i) => [
    ...apiEventType(t, `/subscriptions/${i}`),
  ]);
  return persisted === undefined ? { subscriptions } : { subscriptions, persisted };
}

function messageText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function isSegments(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((s) => typeof s === 'string');
}

/**
 * An SSE stream (DECNET's relay): a keep-alive comment, `event: snapshot` with the latest value
 * of every selected type, then `event: events` per notification. Events arriving while the
 * snapshot is read wait for it; when more than `maxSendQueueBytes` wait for the peer, new events
 * are dropped and an `event: dropped` marker with their count is sent once it caught up.
 */
function serveSse(
  request: FastifyRequest<TypesQuery>,
  reply: FastifyReply,
  context: GatewayContext,
  limits: LiveLimits,
): () => void {
  const types = patterns(request.query.types);
  const res = reply.raw;
  reply.hijack();
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  res.write(': keep-alive\n\n');
  const stream = new SseStream(res, context, limits.maxSendQueueBytes, peerName(request));
  context.hub.add(stream.subscriber(types));
  const timer = setInterval(() => res.write(': keep-alive\n\n'), limits.keepAliveMs);
  res.once('close', () => {
    clearInterval(timer);
    context.hub.delete(stream.subscriber(types));
  });
  void stream.snapshot(types);
  return () => res.end();
}

class SseStream {
  readonly #res: ServerResponse;
  readonly #context: GatewayContext;
  readonly #limit: number;
  #pending: string[] | null = [];
  #pendingBytes = 0;
  #dropped = 0;
  #subscriber: LiveSubscriber | null = null;
  readonly #name: string;

  constructor(res: ServerResponse, context: GatewayContext, limit: number, name: string) {
    this.#name = name;
    this.#res = res;
    this.#context = context;
    this.#limit = limit;
    res.on('drain', () => this.#marker());
  }

  subscriber(types: EventType[] | undefined): LiveSubscriber {
    const res = this.#res;
    this.#subscriber ??= {
      protocol: 'sse',
      name: this.#name,
      subscription: subscriptionOf(types),
      persisted: false,
      get bufferedBytes() {
        return res.writableLength;
      },
      deliver: (text, count) => this.#deliver(`event: events\ndata: ${text}\n\n`, count),
    };
    return this.#subscriber;
  }

  async snapshot(types: EventType[] | undefined): Promise<void> {
    let text: string;
    try {
      const result = await this.#context.host.query({ type: 'latest', eventTypes: types ?? null });
      text = eventsJsonText(result.events, { more_follows: String(result.moreFollows) });
    } catch (error) {
      this.#context.logFailure('sse-snapshot', toError(error));
      text = JSON.stringify({ events: [], more_follows: false, error: toError(error).message });
    }
    this.#res.write(`event: snapshot\ndata: ${text}\n\n`);
    const pending = this.#pending ?? [];
    this.#pending = null;
    this.#pendingBytes = 0;
    for (const frame of pending) this.#res.write(frame);
    this.#marker();
  }

  #deliver(frame: string, count: number): void {
    if (this.#res.writableLength + this.#pendingBytes > this.#limit) {
      this.#dropped += count;
      this.#context.hub.sseDropped += count;
      return;
    }
    if (this.#pending === null) {
      this.#res.write(frame);
      return;
    }
    this.#pending.push(frame);
    this.#pendingBytes += frame.length;
  }

  #marker(): void {
    if (this.#dropped === 0) return;
    this.#res.write(`event: dropped\ndata: {"dropped":${this.#dropped}}\n\n`);
    this.#dropped = 0;
  }
}
