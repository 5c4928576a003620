import {
  ClosedError,
  ErrorCode,
  EventerMsgType,
  EventumError,
  ProtocolError,
  ResourceGroup,
  decodeEventerMsg,
  deferred,
  toError,
} from '@eventum/core';
import type { Deferred, Event, EventerMsg, Logger, Resource, Status } from '@eventum/core';

import type { ChatterConnection } from './chatter-connection.js';
import { connectChatter } from './connect-chatter.js';
import { sameConversation } from './conversation.js';
import type { ReceivedMessage } from './conversation.js';
import { EventerInitError } from './eventer-errors.js';
import type { ResolvedEventerOptions } from './eventer-options.js';

/** What a link reports to its client. */
export interface LinkHandlers {
  onStatus(status: Status): void;
  /** Awaited (when it returns a promise) before the next message is read; the ack (if asked
   * for) is sent after it. */
  onEvents(events: readonly Event[]): Promise<void> | void;
}

type ResponseType = typeof EventerMsgType.RegisterRes | typeof EventerMsgType.QueryRes;

interface PendingRequest {
  readonly expect: ResponseType;
  readonly response: Deferred<EventerMsg>;
}

/**
 * One initialised eventer connection: the handshake, requests matched to responses by
 * conversation, and the receive loop. Messages received before the connection closed are still
 * dispatched; then the link closes with the connection's reason and fails pending requests with
 * `ERR_CLOSED` (`cause` = reason). The client replaces a closed link when reconnecting.
 */
export class EventerLink implements Resource {
  readonly connection: ChatterConnection;
  /** The server status from `MsgInitRes`. */
  readonly initialStatus: Status;
  readonly #handlers: LinkHandlers;
  readonly #logger: Logger;
  readonly #group = new ResourceGroup();
  readonly #pending = new Map<number, PendingRequest>();
  #started = false;

  private constructor(
    connection: ChatterConnection,
    status: Status,
    handlers: LinkHandlers,
    logger: Logger,
  ) {
    this.connection = connection;
    this.initialStatus = status;
    this.#handlers = handlers;
    this.#logger = logger;
    this.#group.onClose((reason) => this.#cleanup(reason));
  }

  /**
   * Connects and initialises; on any failure closes what it opened and rethrows. The returned
   * link reads nothing until `start()`, so its owner can take `initialStatus` first.
   */
  static async open(
    options: ResolvedEventerOptions,
    handlers: LinkHandlers,
    signal?: AbortSignal,
  ): Promise<EventerLink> {
    const { host, port, tls, logger } = options;
    const target = { ...options.chatter, host, port, tls, logger };
    const connection = await connectChatter(signal === undefined ? target : { ...target, signal });
    const abort = (): void => void connection.close(abortError(signal));
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const status = await initialise(connection, options);
      return new EventerLink(connection, status, handlers, logger);
    } catch (error) {
      await connection.close(error instanceof EventerInitError ? undefined : toError(error));
      throw signal?.aborted === true ? abortError(signal) : error;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  get isClosed(): boolean {
    return this.#group.isClosed;
  }

  get closed(): Promise<Error | undefined> {
    return this.#group.closed;
  }

  /** Sends `msg` in a new conversation with `last=false` and resolves with the response. */
  request<T extends ResponseType>(
    msg: EventerMsg,
    expect: T,
  ): Promise<Extract<EventerMsg, { type: T }>> {
    this.#group.assertOpen('eventer connection');
    const conversation = this.connection.sendEventer(msg, { last: false });
    const response = deferred<EventerMsg>();
    this.#pending.set(conversation.first, { expect, response });
    // #resolve only resolves with a message of type `expect`.
    return response.promise as Promise<Extract<EventerMsg, { type: T }>>;
  }

  /** Sends `msg` in a new conversation with `last=true` (no response). */
  post(msg: EventerMsg): void {
    this.#group.assertOpen('eventer connection');
    this.connection.sendEventer(msg);
  }

  close(reason?: Error): Promise<void> {
    return this.#group.close(reason);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Starts dispatching received messages to the handlers (once). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#receiveLoop();
  }

  async #cleanup(reason: Error | undefined): Promise<void> {
    const error = new ClosedError('eventer connection closed', { cause: reason });
    for (const { response } of this.#pending.values()) response.reject(error);
    this.#pending.clear();
    await this.connection.close(reason);
  }

  /**
   * Dispatches received messages in order until the connection closes. Messages already queued
   * are taken and dispatched without a promise each, and a handler is awaited only when it
   * returned a promise: a subscriber busy with a burst of notifications allocates little per
   * message, so its collector pauses, which delay every delivery behind them, stay rare.
   */
  async #receiveLoop(): Promise<void> {
    let reason: Error | undefined;
    try {
      for (;;) {
        const message = this.connection.tryReceive() ?? (await this.connection.receiveOrEnd());
        if (message === undefined) break;
        if (this.isClosed) return;
        const dispatched = this.#dispatch(message);
        if (dispatched !== undefined) await dispatched;
      }
      reason = await this.connection.closed;
    } catch (error) {
      reason = toError(error);
      this.#logger.warn('eventer receive loop failed', { error: reason.message });
    }
    void this.close(reason);
  }

  /** Handles one message; a promise only when a handler's work is still running. */
  #dispatch(message: ReceivedMessage): Promise<void> | undefined {
    const msg = decodeEventerMsg(message.data.type, message.data.data);
    switch (msg.type) {
      case EventerMsgType.StatusNotify:
        this.#handlers.onStatus(msg.data);
        return undefined;
      case EventerMsgType.EventsNotify: {
        const handled = this.#handlers.onEvents(msg.data);
        if (handled === undefined) {
          this.#ack(message);
          return undefined;
        }
        return handled.then(() => this.#ack(message));
      }
      case EventerMsgType.RegisterRes:
      case EventerMsgType.QueryRes:
        this.#resolve(message, msg);
        return undefined;
      case EventerMsgType.InitReq:
      case EventerMsgType.InitRes:
      case EventerMsgType.EventsAck:
      case EventerMsgType.RegisterReq:
      case EventerMsgType.QueryReq:
        throw new ProtocolError(`unexpected eventer message ${msg.type} from the server`);
    }
  }

  /** Acks a notification that asked for it, once its handler is done. */
  #ack(message: ReceivedMessage): void {
    if (message.last || this.connection.isClosed) return;
    const ack = { type: EventerMsgType.EventsAck, data: null } as const;
    this.connection.sendEventer(ack, { conversation: message.conversation });
  }

  #resolve(message: ReceivedMessage, msg: EventerMsg): void {
    const { owner, first } = message.conversation;
    const pending = owner ? this.#pending.get(first) : undefined;
    if (pending === undefined) {
      this.#logger.warn('eventer response without a pending request', { type: msg.type, first });
      return;
    }
    if (pending.expect !== msg.type) {
      throw new ProtocolError(
        `expected ${pending.expect} in conversation ${first}, got ${msg.type}`,
      );
    }
    this.#pending.delete(first);
    pending.response.resolve(msg);
  }
}

function abortError(signal: AbortSignal | undefined): EventumError {
  return new EventumError(ErrorCode.Aborted, 'eventer connect aborted', { cause: signal?.reason });
}

/** Sends `MsgInitReq` (new conversation, last=false) and awaits `MsgInitRes` in it. */
async function initialise(
  connection: ChatterConnection,
  options: ResolvedEventerOptions,
): Promise<Status> {
  const request = { type: EventerMsgType.InitReq, data: options.init } as const;
  const conversation = connection.sendEventer(request, { last: false });
  let message: ReceivedMessage;
  try {
    message = await connection.receive();
  } catch (error) {
    throw new ClosedError('eventer server closed the connection before answering init', {
      cause: error,
    });
  }
  if (
    message.data.type !== EventerMsgType.InitRes ||
    !sameConversation(message.conversation, conversation)
  ) {
    throw new ProtocolError(`invalid init response: ${message.data.type}`);
  }
  const response = decodeEventerMsg(message.data.type, message.data.data);
  if (response.type !== EventerMsgType.InitRes) throw new ProtocolError('invalid init response');
  if (response.data.type === 'error') throw new EventerInitError(response.data.error);
  return response.data.status;
}
