import type { AddressInfo, Server as NetServer, Socket } from 'node:net';

import { ChatterConnection } from '@eventum/client';
import {
  ErrorCode,
  EventerMsgType,
  EventumError,
  GroupResource,
  noopLogger,
  Status,
  toError,
} from '@eventum/core';
import type {
  ChatterData,
  Event,
  Logger,
  MsgInitReq,
  QueryParams,
  QueryResult,
  RegisterEvent,
  Resource,
} from '@eventum/core';

import { DEFAULT_MAX_CONNECTIONS, guardAccepts } from './accept-guard.js';
import { DEFAULT_MAX_CLIENT_QUEUE_BYTES } from './eventer-server-options.js';
import type { EventerServerOptions, EventerServerStats } from './eventer-server-options.js';
import type { Engine } from './engine.js';
import { messageEventBudget, notifyMessages } from './notify-bodies.js';
import type { StatusListener } from './engine-runner.js';
import { EventerConnection } from './eventer-connection.js';
import type { ConnectionHost } from './eventer-connection.js';
import { createListener } from './eventer-tls.js';
import { LogLimiter } from './log-limiter.js';
import type { Source } from './source.js';
import { isClientTokenAccepted } from './token.js';

export { DEFAULT_MAX_CLIENT_QUEUE_BYTES };
export type { EventerServerOptions, EventerServerStats };

const WITH_ACK = { last: false } as const;
const WITHOUT_ACK = { last: true } as const;
const NOTIFIED = Promise.resolve();

/**
 * The eventer server (hat-event.md §2.4, §3.8): accepts eventer clients, checks their tokens,
 * forwards registrations to the running engine and queries to the backend, announces status
 * changes, and notifies every client of the events it subscribed to.
 */
export interface EventerServer extends Resource, StatusListener {
  readonly address: { readonly host: string; readonly port: number };
  readonly status: Status;
  getClientNames(): Iterable<readonly [Source, string]>;
  /** Counters and gauges for `/metrics`. */
  stats(): EventerServerStats;
  /**
   * Sends `events` (one session) to every initialised client whose `persisted` flag equals
   * `persisted`, filtered by its subscription and server id; clients with nothing selected get
   * nothing. Each distinct selection is encoded once, in as many `MsgEventsNotify` messages as
   * frames of `maxFrameSize` need (in order; usually one). With `withAck`, notifications ask for
   * an ack and the promise resolves once every notified client acked all of them or
   * disconnected.
   */
  notifyEvents(events: readonly Event[], persisted: boolean, withAck?: boolean): Promise<void>;
}

/**
 * Starts listening; rejects with `ERR_CONFIG` (closing what it opened) when the address cannot be
 * bound or the TLS certificate, key or CA cannot be used.
 */
export async function createEventerServer(options: EventerServerOptions): Promise<EventerServer> {
  const server = new TcpEventerServer(options);
  try {
    await server.listen();
  } catch (error) {
    await server.close();
    throw new EventumError(
      ErrorCode.Config,
      `cannot listen on ${options.host}:${options.port}: ${toError(error).message}`,
      { cause: error },
    );
  }
  return server;
}

class TcpEventerServer extends GroupResource implements EventerServer, ConnectionHost {
  readonly #options: EventerServerOptions;
  readonly #logger: Logger;
  readonly #limiter: LogLimiter;
  readonly #net: NetServer;
  /** Initialised connections: the ones notified and listed. */
  readonly #connections = new Set<EventerConnection>();
  /** Every accepted connection, initialised or not. */
  readonly #accepted = new Set<EventerConnection>();
  readonly #runs = new Set<Promise<void>>();
  /** Every open TCP socket, including TLS handshakes not finished yet. */
  readonly #sockets = new Set<Socket>();
  readonly #budget: number;
  #status: Status = Status.Standby;
  #engine: Engine | null = null;
  #nextId = 1;
  #queries = 0;
  #slowConsumers = 0;

  constructor(options: EventerServerOptions) {
    super();
    this.#options = options;
    this.#budget = messageEventBudget(options.chatter);
    this.#logger = (options.logger ?? noopLogger).child({ component: 'eventer-server' });
    this.#limiter = new LogLimiter(this.#logger, options.logLimits);
    const accept = (socket: Socket): void => this.#accept(socket);
    this.#net = createListener(options.tls, accept, this.#logger, this.#limiter);
    this.#net.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    this.group.onClose(() => this.#shutdown());
  }

  get address(): { host: string; port: number } {
    const info = this.#net.address() as AddressInfo | null;
    return { host: this.#options.host, port: info?.port ?? this.#options.port };
  }

  get status(): Status {
    return this.#status;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#net.once('error', reject);
      this.#net.listen(this.#options.port, this.#options.host, () => {
        this.#net.off('error', reject);
        guardAccepts(this.#net, {
          maxConnections: this.#options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
          logger: this.#logger,
          limiter: this.#limiter,
          openConnections: () => this.#accepted.size,
          onFatal: (error) => void this.close(error),
        });
        this.#logger.info('eventer server listening', {
          ...this.address,
          tls: this.#options.tls !== undefined,
        });
        resolve();
      });
    });
  }

  *getClientNames(): Iterable<readonly [Source, string]> {
    for (const connection of this.#connections) {
      if (connection.init !== null) yield [connection.source, connection.init.clientName];
    }
  }

  stats(): EventerServerStats {
    let sendQueueBytes = 0;
    for (const connection of this.#connections) sendQueueBytes += connection.chatter.writableBytes;
    return {
      clients: this.#connections.size,
      queries: this.#queries,
      sendQueueBytes,
      slowConsumerDisconnects: this.#slowConsumers,
    };
  }

  setStatus(status: Status, engine: Engine | null): void {
    this.#engine = engine;
    if (status === this.#status) return;
    this.#status = status;
    this.#logger.info('status', { status });
    for (const connection of this.#connections) {
      if (this.#mayReceive(connection))
        connection.chatter.sendEventer({ type: EventerMsgType.StatusNotify, data: status });
    }
  }

  notifyEvents(events: readonly Event[], persisted: boolean, withAck = false): Promise<void> {
    try {
      return this.#notify(events, persisted, withAck);
    } catch (error) {
      // As from an async function: callers get failures as rejections, never as throws.
      return Promise.reject(toError(error));
    }
  }

  #notify(events: readonly Event[], persisted: boolean, withAck: boolean): Promise<void> {
    // Called for every session, twice (registered, flushed), with each client: per event and
    // client it allocates only the frame head, which keeps the young generation's scavenges,
    // and so the pauses they add to deliveries, rare.
    const acks: Promise<void>[] | null = withAck ? [] : null;
    let shared: ChatterData[] | null = null;
    for (const connection of this.#connections) {
      const selected = connection.select(events, persisted);
      if (selected.length === 0 || !this.#mayReceive(connection)) continue;
      // Most clients subscribe to everything they see: encode that body once for all of them.
      const messages =
        selected === events
          ? (shared ??= notifyMessages(events, this.#budget))
          : notifyMessages(selected, this.#budget);
      const options = withAck ? WITH_ACK : WITHOUT_ACK;
      for (const message of messages) {
        const conversation = connection.chatter.send(message, options);
        acks?.push(connection.awaitAck(conversation));
      }
    }
    return acks === null ? NOTIFIED : Promise.all(acks).then(() => undefined);
  }

  authorize(init: MsgInitReq): void {
    if (!isClientTokenAccepted(init.clientToken, this.#options.serverToken)) {
      throw new Error('invalid client token');
    }
  }

  register(source: Source, events: readonly RegisterEvent[]): Promise<readonly Event[] | null> {
    const engine = this.#engine;
    if (engine === null || engine.isClosed) return Promise.resolve(null);
    return engine.register(source, events);
  }

  query(params: QueryParams): Promise<QueryResult> {
    this.#queries += 1;
    return this.#options.backend.query(params);
  }

  async onInitialised(connection: EventerConnection): Promise<void> {
    // Joins the notification set before CONNECTED is registered, so the client is told of its
    // own connection too (Hat registered first and never told it).
    this.#connections.add(connection);
    await this.#registerClientEvent(connection, 'CONNECTED');
  }

  async onClosed(connection: EventerConnection): Promise<void> {
    this.#connections.delete(connection);
    this.#logger.info('eventer client disconnected', { client: connection.init?.clientName });
    await this.#registerClientEvent(connection, 'DISCONNECTED');
  }

  async #registerClientEvent(connection: EventerConnection, state: string): Promise<void> {
    const engine = this.#engine;
    const name = connection.init?.clientName;
    if (engine === null || engine.isClosed || name === undefined) return;
    const type = ['event', String(this.#options.serverId), 'eventer', name];
    try {
      await engine.register(connection.source, [{ type, payload: { type: 'json', data: state } }]);
    } catch (error) {
      this.#logger.debug('client event not registered', { state, reason: toError(error).message });
    }
  }

  #accept(socket: Socket): void {
    if (this.isClosed) {
      socket.destroy();
      return;
    }
    const id = this.#nextId++;
    let chatter: ChatterConnection;
    try {
      chatter = ChatterConnection.fromSocket(socket, this.#options.chatter, this.#logger);
    } catch (error) {
      this.#logger.error('cannot accept connection', { reason: toError(error).message });
      socket.destroy();
      return;
    }
    const connection = new EventerConnection(
      id,
      chatter,
      this,
      this.#logger,
      this.#limiter,
      this.#budget,
    );
    this.#accepted.add(connection);
    const run = connection.run();
    this.#runs.add(run);
    void run.finally(() => {
      this.#runs.delete(run);
      this.#accepted.delete(connection);
    });
  }

  /** False when the connection is closed, or is a slow consumer (then it is disconnected). */
  #mayReceive(connection: EventerConnection): boolean {
    const chatter = connection.chatter;
    if (chatter.isClosed) return false;
    const limit = this.#options.maxClientQueueBytes ?? DEFAULT_MAX_CLIENT_QUEUE_BYTES;
    if (chatter.writableBytes <= limit) return true;
    // The connection logs this reason as it closes.
    this.#slowConsumers += 1;
    const reason = `slow consumer: ${chatter.writableBytes} bytes waiting (limit ${limit})`;
    void chatter.close(new EventumError(ErrorCode.Closed, reason));
    return false;
  }

  async #shutdown(): Promise<void> {
    // Stop accepting first; the listener only reports closed once every socket is gone.
    const stopped = new Promise<void>((resolve) => this.#net.close(() => resolve()));
    for (const connection of this.#accepted) void connection.chatter.close();
    await Promise.all([...this.#runs]);
    // Sockets that never became connections (TLS handshakes in progress).
    for (const socket of this.#sockets) socket.destroy();
    await stopped;
    this.#limiter.close();
  }
}
