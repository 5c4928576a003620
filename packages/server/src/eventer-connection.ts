import type { ChatterConnection, Conversation, ReceivedMessage } from '@eventum/client';
import {
  EventerMsgType,
  MAX_EVENT_HEADER_SIZE,
  ProtocolError,
  Subscription,
  decodeEventerMsg,
  deferred,
  isEventumError,
  invalidArgument,
  toError,
} from '@eventum/core';
import type {
  Deferred,
  Event,
  EventerMsg,
  Logger,
  MsgInitReq,
  QueryParams,
  QueryResult,
  RegisterEvent,
  Status,
} from '@eventum/core';

import type { LogLimiter } from './log-limiter.js';
import type { Source } from './source.js';

const EMPTY_RESULT: QueryResult = { events: [], moreFollows: false };
const NONE: readonly Event[] = Object.freeze([]);

/** What a connection asks of the server it belongs to. */
export interface ConnectionHost {
  readonly status: Status;
  /** Throws (with the message sent to the client) to refuse the client. */
  authorize(init: MsgInitReq): void;
  /** Registers through the engine; null when not operational or the session failed. */
  register(source: Source, events: readonly RegisterEvent[]): Promise<readonly Event[] | null>;
  query(params: QueryParams): Promise<QueryResult>;
  onInitialised(connection: EventerConnection): Promise<void>;
  onClosed(connection: EventerConnection): Promise<void>;
}

/**
 * The server side of one eventer connection (hat-event.md §2.4): the init handshake, then its
 * messages strictly in order (a register or query is answered before the next message is read,
 * and while its answers fill the send queue, the next message waits until they are sent),
 * acks of notifications, and the bookkeeping of what the client subscribed to.
 */
export class EventerConnection {
  readonly id: number;
  readonly chatter: ChatterConnection;
  readonly #host: ConnectionHost;
  readonly #logger: Logger;
  readonly #limiter: LogLimiter;
  /** Bytes of encoded events one message to the client may hold. */
  readonly #budget: number;
  readonly #acks = new Map<number, Deferred<void>>();
  #init: MsgInitReq | null = null;
  #subscription = Subscription.empty;

  /** `limiter` rate-limits the lines a peer can cause (bad frames, refusals, failed requests). */
  constructor(
    id: number,
    chatter: ChatterConnection,
    host: ConnectionHost,
    logger: Logger,
    limiter: LogLimiter,
    budget: number,
  ) {
    this.id = id;
    this.chatter = chatter;
    this.#host = host;
    this.#logger = logger.child({ connection: id, peer: peerAddress(chatter) });
    this.#limiter = limiter;
    this.#budget = budget;
  }

  /** The client's init request, once the handshake succeeded. */
  get init(): MsgInitReq | null {
    return this.#init;
  }

  get source(): Source {
    return { type: 'eventer', id: this.id };
  }

  /**
   * Which of `events` this client wants: its subscription, server filter and persisted mode.
   * Runs for every client on every session, so it allocates only when the client wants some of
   * the events but not all: `events` itself when it wants all, a shared empty array when none.
   */
  select(events: readonly Event[], persisted: boolean): readonly Event[] {
    const init = this.#init;
    if (init === null || init.persisted !== persisted) return NONE;
    const serverId = init.serverId;
    let wanted = 0;
    for (const event of events) if (this.#wants(event, serverId)) wanted++;
    if (wanted === events.length) return events;
    return wanted === 0 ? NONE : events.filter((event) => this.#wants(event, serverId));
  }

  #wants(event: Event, serverId: number | null): boolean {
    return (
      (serverId === null || event.id.server === serverId) && this.#subscription.matches(event.type)
    );
  }

  /** Resolves once the client acks the notification sent in `conversation` (or disconnects). */
  awaitAck(conversation: Conversation): Promise<void> {
    const ack = deferred<void>();
    this.#acks.set(conversation.first, ack);
    return ack.promise;
  }

  /**
   * Runs the connection until it closes; never rejects. A close for a reason other than an
   * orderly end (bad framing, an oversized frame, a keep-alive time-out, a reset, a slow
   * consumer) is logged with its code, message and cause, rate-limited per code.
   */
  async run(): Promise<void> {
    try {
      if (await this.#handshake()) {
        // Messages already received are taken without a promise each (acks come in bursts
        // from subscribers), and only work that is still running is awaited.
        for (;;) {
          const message = this.chatter.tryReceive() ?? (await this.chatter.receiveOrEnd());
          if (message === undefined) break;
          const dispatched = this.#dispatch(message);
          if (dispatched !== undefined) await dispatched;
          if (this.chatter.isSendQueueFull) await this.#backPressure();
        }
      }
    } catch (error) {
      // A no-op when the connection already closed: its first reason is the one kept.
      await this.chatter.close(toError(error));
    } finally {
      await this.chatter.close();
      this.#logClose(await this.chatter.closed);
      // Only this connection's acks: another client disconnecting never fails them.
      for (const ack of this.#acks.values()) ack.resolve();
      this.#acks.clear();
      if (this.#init !== null) await this.#host.onClosed(this);
    }
  }

  #logClose(reason: Error | undefined): void {
    const client = this.#init?.clientName;
    if (reason === undefined) {
      this.#logger.debug('eventer connection ended', { client });
      return;
    }
    const code = isEventumError(reason) ? reason.code : 'ERR_UNKNOWN';
    const cause = reason.cause === undefined ? undefined : toError(reason.cause);
    const causeCode = (cause as { code?: unknown } | undefined)?.code;
    const kind = typeof causeCode === 'string' ? `${code}:${causeCode}` : code;
    this.#limiter.log(this.#logger, 'warn', `close:${kind}`, 'eventer connection closed', {
      client,
      code,
      reason: reason.message,
      cause: cause?.message,
    });
  }

  async #handshake(): Promise<boolean> {
    const first = await this.chatter.receive();
    const msg = this.#decode(first);
    if (msg.type !== EventerMsgType.InitReq) {
      throw new ProtocolError(`expected ${EventerMsgType.InitReq} first, got ${msg.type}`);
    }
    try {
      this.#subscription = new Subscription(msg.data.subscriptions);
      this.#host.authorize(msg.data);
    } catch (error) {
      const reason = toError(error).message;
      this.#limiter.log(this.#logger, 'info', 'refused', 'refusing eventer client', {
        client: msg.data.clientName,
        reason,
      });
      this.#reply(first, { type: EventerMsgType.InitRes, data: { type: 'error', error: reason } });
      return false;
    }
    this.#reply(first, {
      type: EventerMsgType.InitRes,
      data: { type: 'success', status: this.#host.status },
    });
    this.#init = msg.data;
    this.#logger.info('eventer client connected', { client: msg.data.clientName });
    await this.#host.onInitialised(this);
    return true;
  }

  /** Handles one message; a promise while its work (a registration, a query) still runs. */
  #dispatch(message: ReceivedMessage): Promise<void> | undefined {
    const msg = this.#decode(message);
    switch (msg.type) {
      case EventerMsgType.EventsAck:
        this.#acks.get(message.conversation.first)?.resolve();
        this.#acks.delete(message.conversation.first);
        return undefined;
      case EventerMsgType.RegisterReq:
        return this.#register(message, msg.data);
      case EventerMsgType.QueryReq:
        return this.#query(message, msg.data);
      default:
        throw new ProtocolError(`unexpected message ${msg.type} from an eventer client`);
    }
  }

  async #register(message: ReceivedMessage, events: readonly RegisterEvent[]): Promise<void> {
    let result: readonly Event[] | null = null;
    try {
      // One event's response fits when the event does: the engine checks that, naming the size.
      if (!message.last && events.length > 1) this.#checkResponseSize(message, events.length);
      result = await this.#host.register(this.source, events);
    } catch (error) {
      this.#limiter.log(this.#logger, 'error', 'register-failed', 'registration failed', {
        reason: toError(error).message,
      });
    }
    if (message.last) return;
    this.#reply(message, {
      type: EventerMsgType.RegisterRes,
      data: result === null ? { type: 'failure' } : { type: 'events', events: result },
    });
  }

  /**
   * Refuses a registration whose response might not fit a frame: each returned event is its
   * request's encoding plus an id and a timestamp, so the request's size bounds the response's.
   */
  #checkResponseSize(message: ReceivedMessage, count: number): void {
    const bound = message.data.data.length + count * MAX_EVENT_HEADER_SIZE;
    if (bound > this.#budget) {
      throw invalidArgument(
        `the response to ${count} events could take ${bound} bytes of events, ` +
          `over the ${this.#budget} bytes a frame holds; register fewer events per request`,
      );
    }
  }

  async #query(message: ReceivedMessage, params: QueryParams): Promise<void> {
    let result: QueryResult = { events: [], moreFollows: false };
    try {
      result = await this.#host.query(params);
    } catch (error) {
      const reason = toError(error).message;
      const message = 'query failed; answering with an empty result';
      this.#limiter.log(this.#logger, 'warn', 'query-failed', message, { reason });
    }
    try {
      this.#reply(message, { type: EventerMsgType.QueryRes, data: result });
    } catch (error) {
      // Stored events are sent as stored bytes, so this is a backend's bug; the client stays.
      const reason = toError(error).message;
      const text = 'query result not encodable; answering with an empty result';
      this.#limiter.log(this.#logger, 'error', 'query-unencodable', text, { reason });
      this.#reply(message, { type: EventerMsgType.QueryRes, data: EMPTY_RESULT });
    }
  }

  /**
   * Answers to a client that does not read them pile up in its send queue: without a bound, a
   * few bytes of queries could make the server hold gigabytes. Above the chatter connection's
   * `maxSendQueueBytes`, the next message is read only once the queue has drained, so the client
   * is held back by TCP as its own sends fill up, and no other client waits for it.
   */
  async #backPressure(): Promise<void> {
    if (!this.chatter.isSendQueueFull) return;
    // Rejects only when the connection closes; the loop then ends on its own.
    await this.chatter.drain().catch(() => undefined);
  }

  #reply(to: ReceivedMessage, msg: EventerMsg): void {
    if (this.chatter.isClosed) return;
    this.chatter.sendEventer(msg, { conversation: to.conversation, last: true });
  }

  #decode(message: ReceivedMessage): EventerMsg {
    if (message.data.type.startsWith('HatChatter.')) {
      throw new ProtocolError(`unexpected chatter message ${message.data.type}`);
    }
    try {
      // Payloads keep the bytes they came in, so storing and answering them copies those.
      return decodeEventerMsg(message.data.type, message.data.data, { rememberPayloads: true });
    } catch (error) {
      throw new ProtocolError(`bad ${message.data.type}: ${toError(error).message}`, {
        cause: error,
      });
    }
  }
}

/** `host:port` of the peer ("" parts when the socket did not know them). */
function peerAddress(chatter: ChatterConnection): string {
  const { remoteAddress, remotePort } = chatter.info;
  return remoteAddress.includes(':')
    ? `[${remoteAddress}]:${remotePort}`
    : `${remoteAddress}:${remotePort}`;
}
