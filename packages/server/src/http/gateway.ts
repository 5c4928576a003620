import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import { ErrorCode, EventumError, GroupResource, noopLogger, toError } from '@eventum/core';
import type { Event, Logger, Resource } from '@eventum/core';
import { fastify } from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Pem } from '../eventer-tls.js';
import { LogLimiter } from '../log-limiter.js';
import { SourceType } from '../source.js';
import type { GatewayContext, GatewayHost, MonitorPort } from './context.js';
import { addLiveRoutes } from './live-routes.js';
import { LiveHub } from './live-hub.js';
import { Metrics } from './metrics.js';
import { addMonitorRoutes } from './monitor-routes.js';
import { problem, problemFromError } from './problem.js';
import type { Problem } from './problem.js';
import { addRoutes } from './routes.js';

/** Options of {@link createHttpGateway}, already validated (see `http_server`). */
export interface HttpGatewayOptions {
  readonly host: string;
  /** 0 picks a free port (see `address`). */
  readonly port: number;
  /** Bearer tokens accepted on `/api/*` and `/metrics`; empty means no authentication. */
  readonly tokens: readonly string[];
  /** Origins CORS allows (`*` for any); empty sends no CORS headers. */
  readonly corsOrigins: readonly string[];
  readonly maxBodyBytes: number;
  readonly maxSendQueueBytes: number;
  readonly keepAliveMs: number;
  readonly maxSubscribers: number;
  readonly tls?: { readonly cert: Pem; readonly key: Pem };
  /** Directory of the console's built assets, served at `/`; absent serves none. */
  readonly staticRoot?: string;
  /** The notify event monitor served at `/api/notify/monitor` (needs a bus); not owned. */
  readonly monitor?: MonitorPort;
  readonly logger?: Logger;
}

/** The HTTP + WebSocket API of one server (docs/http-api.md). */
export interface HttpGateway extends Resource {
  readonly address: { readonly host: string; readonly port: number };
  /** Sends `events` to the live subscribers (WebSocket and SSE) and counts them. */
  notify(events: readonly Event[], persisted: boolean): void;
}

/** Listens; rejects with `ERR_CONFIG` (closing what it opened) when the address is unusable. */
export async function createHttpGateway(
  options: HttpGatewayOptions,
  host: GatewayHost,
): Promise<HttpGateway> {
  const gateway = new FastifyGateway(options, host);
  try {
    await gateway.listen();
  } catch (error) {
    await gateway.close();
    throw new EventumError(
      ErrorCode.Config,
      `cannot serve HTTP on ${options.host}:${options.port}: ${toError(error).message}`,
      { cause: error },
    );
  }
  return gateway;
}

class FastifyGateway extends GroupResource implements HttpGateway {
  readonly #options: HttpGatewayOptions;
  readonly #app: FastifyInstance;
  readonly #context: GatewayContext;
  readonly #limiter: LogLimiter;
  readonly #logger: Logger;
  #endLive: () => void = () => undefined;

  constructor(options: HttpGatewayOptions, host: GatewayHost) {
    super();
    this.#options = options;
    this.#logger = (options.logger ?? noopLogger).child({ component: 'http' });
    this.#limiter = new LogLimiter(this.#logger);
    this.#context = this.#createContext(host);
    this.#app = fastify({
      logger: false,
      bodyLimit: options.maxBodyBytes,
      ...(options.tls === undefined
        ? {}
        : { https: { cert: options.tls.cert, key: options.tls.key } }),
      ajv: {
        customOptions: {
          removeAdditional: false,
          coerceTypes: 'array',
          allErrors: true,
          discriminator: true,
          // `kind` of the event monitor is a name or an id; without this, ajv's strict mode
          // prints a warning (not a JSON log line) when the route compiles.
          allowUnionTypes: true,
        },
      },
      forceCloseConnections: true,
    });
    this.group.onClose(() => this.#shutdown());
  }

  get address(): { host: string; port: number } {
    const info = this.#app.server.address() as AddressInfo | null;
    return { host: this.#options.host, port: info?.port ?? this.#options.port };
  }

  notify(events: readonly Event[], persisted: boolean): void {
    if (persisted) this.#context.metrics.onPersisted(events, Date.now());
    else this.#context.metrics.onRegistered(events);
    this.#context.hub.notify(events, persisted);
  }

  async listen(): Promise<void> {
    await this.#setUp();
    await this.#app.listen({ host: this.#options.host, port: this.#options.port });
    this.#logger.info('http server listening', {
      ...this.address,
      tls: this.#options.tls !== undefined,
    });
  }

  async #setUp(): Promise<void> {
    const app = this.#app;
    const options = this.#options;
    app.setErrorHandler((error, request, reply) =>
      this.#fail(problemFromError(error), request, reply, error),
    );
    app.setNotFoundHandler((request, reply) =>
      this.#fail(
        problem(ErrorCode.NotFound, `no route ${request.method} ${request.url}`, 404),
        request,
        reply,
      ),
    );
    if (options.corsOrigins.length > 0) {
      const any = options.corsOrigins.includes('*');
      await app.register(cors, { origin: any ? true : [...options.corsOrigins] });
    }
    app.addHook('onRequest', (request, reply, done) => this.#authorize(request, reply, done));
    await app.register(websocket, { options: { maxPayload: options.maxBodyBytes } });
    addRoutes(app, this.#context);
    addMonitorRoutes(app, this.#context, options.maxSubscribers);
    this.#endLive = addLiveRoutes(app, this.#context, options);
    if (options.staticRoot !== undefined) {
      await app.register(fastifyStatic, { root: options.staticRoot, prefix: '/', wildcard: true });
    }
  }

  #authorize(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const tokens = this.#options.tokens;
    const path = request.url.split('?', 1)[0] ?? '';
    if (tokens.length === 0 || !(path.startsWith('/api/') || path === '/metrics')) return done();
    const header = request.headers.authorization;
    const given = header?.startsWith('Bearer ')
      ? header.slice(7)
      : (request.query as { token?: unknown }).token;
    if (typeof given === 'string' && isAccepted(given, tokens)) return done();
    reply.header('www-authenticate', 'Bearer realm="eventum"');
    const detail = given === undefined ? 'a bearer token is required' : 'invalid bearer token';
    this.#fail(problem(ErrorCode.Refused, detail, 401), request, reply);
  }

  #fail(p: Problem, request: FastifyRequest, reply: FastifyReply, error?: unknown): void {
    if (p.status >= 500) {
      this.#limiter.log(this.#logger, 'error', `http-${p.code}`, 'http request failed', {
        url: request.url,
        reason: error === undefined ? p.detail : toError(error).message,
      });
    }
    void reply
      .code(p.status)
      .type('application/problem+json')
      .send(JSON.stringify({ ...p, instance: request.url }));
  }

  #createContext(host: GatewayHost): GatewayContext {
    const metrics = new Metrics();
    const hub = new LiveHub();
    let nextId = 1;
    return {
      host,
      metrics,
      hub,
      startedMs: Date.now(),
      monitor: this.#options.monitor,
      nextSource: () => ({ type: SourceType.Http, id: nextId++ }),
      liveClients: () => hub.clients(),
      renderMetrics: () => {
        const { clients, bytes } = hub.stats();
        return metrics.render(host.stats(), {
          websocketClients: clients.websocket,
          sseClients: clients.sse,
          websocketSendQueueBytes: bytes.websocket,
          sseSendQueueBytes: bytes.sse,
          websocketSlowConsumers: hub.websocketSlowConsumers,
          sseDropped: hub.sseDropped,
        });
      },
      logFailure: (kind, error) =>
        this.#limiter.log(this.#logger, 'warn', kind, `${kind} failed`, { reason: error.message }),
    };
  }

  async #shutdown(): Promise<void> {
    this.#endLive();
    await this.#app.close();
    this.#limiter.close();
  }
}

/** Compares `given` with every token in constant time per token (see `isClientTokenAccepted`). */
function isAccepted(given: string, tokens: readonly string[]): boolean {
  const digest = createHash('sha256').update(given, 'utf8').digest();
  let accepted = false;
  for (const token of tokens) {
    const expected = createHash('sha256').update(token, 'utf8').digest();
    accepted = timingSafeEqual(digest, expected) || accepted;
  }
  return accepted;
}
