import type { Socket } from 'node:net';

import {
  ChatterMsgType,
  ClosedError,
  FrameDecoder,
  ResourceGroup,
  decodeChatterMsg,
  encodeEventerFrame,
  noopLogger,
  toError,
} from '@eventum/core';
import type { ChatterData, ChatterHeader, EventerMsg, Logger, Resource } from '@eventum/core';

import { writeChatterData } from './chatter-envelope.js';
import { resolveChatterOptions } from './chatter-options.js';
import type { ChatterOptions, ResolvedChatterOptions } from './chatter-options.js';
import { envelopeHeader, toReceivedMessage } from './conversation.js';
import type { Conversation, ReceivedMessage, SendOptions } from './conversation.js';
import { KeepAlive, pingTimeoutError } from './keep-alive.js';
import { PONG_HOLD_BYTES, ReadGate } from './read-gate.js';
import { ReceiveQueue } from './receive-queue.js';
import { closeSocket, socketError, socketInfo } from './socket.js';
import type { SocketInfo } from './socket.js';

const EMPTY = new Uint8Array(0);

/**
 * One chatter connection (hat-drivers `chatter.Connection`) over a connected TCP or TLS socket:
 * framing, the `HatChatter.Msg` envelope, per-connection message ids from 1, conversations,
 * keep-alive and bounded queues. Create it with `connectChatter` or {@link fromSocket}.
 *
 * Receiving: messages are delivered in arrival order to `receive()` (or `for await`). At most
 * `receiveQueueSize` messages wait; when the queue is full the socket is paused (TCP back-pressure
 * on the peer) and resumed once the consumer has taken half of them; keep-alive is suspended
 * meanwhile (Hat would time out on its own unread pongs). `HatChatter.Ping` is answered with
 * `Pong` and neither reaches the consumer; a peer that pings but reads nothing is held back the
 * same way once {@link PONG_HOLD_BYTES} wait to be sent.
 *
 * Sending is synchronous and never blocks: every `send*` writes to the socket at once and returns
 * the conversation. The bytes still waiting in the socket are `writableBytes`; above
 * `maxSendQueueBytes` `isSendQueueFull` is true. The connection does not enforce the bound: the
 * caller chooses the policy (wait with `drain()`, or close a slow consumer).
 *
 * Closing: `close()` (idempotent) or the first failure closes it. `closed` resolves with the
 * reason: `undefined` for an orderly close by either side, `ERR_PROTOCOL` for bad bytes or an
 * oversized frame, `ERR_TIMEOUT` for a keep-alive timeout, `ERR_CLOSED` (with the socket error as
 * `cause`) for a reset. A failure never throws out of the socket's event handlers.
 */
export class ChatterConnection implements Resource {
  readonly #socket: Socket;
  readonly #options: ResolvedChatterOptions;
  readonly #logger: Logger;
  readonly #group = new ResourceGroup();
  readonly #decoder: FrameDecoder;
  readonly #queue = new ReceiveQueue<ReceivedMessage>();
  readonly #keepAlive: KeepAlive | null;
  readonly #info: SocketInfo;
  readonly #gate: ReadGate;
  #nextId = 1;
  #drain: Promise<void> | null = null;

  private constructor(socket: Socket, options: ResolvedChatterOptions, logger: Logger) {
    this.#socket = socket;
    this.#options = options;
    this.#logger = logger;
    this.#decoder = new FrameDecoder(options.maxFrameSize);
    this.#info = socketInfo(socket);
    this.#gate = new ReadGate(socket, {
      onHold: () => this.#keepAlive?.stop(),
      onRelease: () => this.#keepAlive?.start(),
      isOpen: () => !this.isClosed,
    });
    this.#keepAlive =
      options.pingDelayMs === 0
        ? null
        : new KeepAlive(
            options.pingDelayMs,
            options.pingTimeoutMs,
            () => this.#sendPing(),
            () => void this.close(pingTimeoutError(options.pingTimeoutMs)),
          );
  }

  /**
   * Wraps a connected socket (e.g. one accepted by a `net.Server`). The connection owns the socket
   * from now on: it sets no-delay, reads it, and ends or destroys it on close. Invalid options
   * throw `ERR_INVALID_ARGUMENT` (and leave the socket to the caller).
   */
  static fromSocket(
    socket: Socket,
    options: ChatterOptions = {},
    logger: Logger = noopLogger,
  ): ChatterConnection {
    const connection = new ChatterConnection(socket, resolveChatterOptions(options), logger);
    connection.#start();
    return connection;
  }

  /** Addresses of both ends, captured when the connection was created. */
  get info(): SocketInfo {
    return this.#info;
  }

  get isClosed(): boolean {
    return this.#group.isClosed;
  }

  get closed(): Promise<Error | undefined> {
    return this.#group.closed;
  }

  /** Bytes written but not yet handed to the operating system. */
  get writableBytes(): number {
    return this.#socket.writableLength;
  }

  /** True when `writableBytes` reached `maxSendQueueBytes`: the peer reads slower than we write. */
  get isSendQueueFull(): boolean {
    return this.#socket.writableLength >= this.#options.maxSendQueueBytes;
  }

  /** True while the socket is paused: the receive queue is full, or pongs wait for a peer that
   * does not read them. */
  get isReceivePaused(): boolean {
    return this.#gate.isHeld('receive-queue') || this.#gate.isHeld('pongs');
  }

  /** Received messages waiting for `receive()`. */
  get receiveQueueLength(): number {
    return this.#queue.length;
  }

  /**
   * The next received message, in arrival order. Messages received before the connection closed
   * are still returned after it closed; then it rejects with `ERR_CLOSED` (`cause` = the close
   * reason). Meant for one consumer; concurrent calls are served in call order.
   */
  receive(): Promise<ReceivedMessage> {
    // Not async functions: a consumer waits here once per message that finds the queue empty
    // (every request of a client in lock-step, every notification of an idle subscriber), and
    // a chain of async functions is several times the garbage of one `then`.
    return this.#queue.shift().then(this.#taken);
  }

  /** Like `receive()`, but resolves to `undefined` instead of rejecting once the connection is
   * closed and every message received before was taken. */
  receiveOrEnd(): Promise<ReceivedMessage | undefined> {
    return this.#queue.shift().then(this.#taken, this.#endOrThrow);
  }

  readonly #taken = (message: ReceivedMessage): ReceivedMessage => {
    this.#resumeIfDrained();
    return message;
  };

  readonly #endOrThrow = (error: unknown): undefined => {
    if (this.isClosed && error instanceof ClosedError) return undefined;
    throw error;
  };

  /** The next received message if one is queued, without waiting: a consumer's fast path
   * (no promise per message) while messages arrive faster than it takes them. */
  tryReceive(): ReceivedMessage | undefined {
    const message = this.#queue.tryShift();
    if (message !== undefined) this.#resumeIfDrained();
    return message;
  }

  /** Iterates received messages until the connection is closed and the queue is empty. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ReceivedMessage, void, undefined> {
    for (;;) {
      const message = await this.receiveOrEnd();
      if (message === undefined) return;
      yield message;
    }
  }

  /**
   * Sends `data` and returns its conversation (a new one unless `options.conversation` is given).
   * Ownership: `data.data` is written to the socket without a copy when larger than
   * `COPY_THRESHOLD_BYTES`, so it must not change afterwards. That is what makes
   * encode-once fan-out cheap: encode a body once (`encodeEventerMsg`) and `send` the same
   * `ChatterData` to every connection; only the small envelope is encoded per connection.
   * Throws `ERR_CLOSED` when the connection is closed.
   */
  send(data: ChatterData, options: SendOptions = {}): Conversation {
    this.#group.assertOpen('chatter connection');
    const header = envelopeHeader(this.#nextId, options);
    writeChatterData(this.#socket, header, data);
    return this.#commit(header);
  }

  /**
   * Encodes `msg` (an eventer message) straight into one frame buffer and sends it: the fast
   * path for a message sent to one connection. Returns the conversation as `send` does. Throws
   * `ERR_CLOSED` when closed, `ERR_INVALID_ARGUMENT` when `msg` cannot be encoded (nothing is
   * sent and no message id is used then).
   */
  sendEventer(msg: EventerMsg, options: SendOptions = {}): Conversation {
    this.#group.assertOpen('chatter connection');
    const header = envelopeHeader(this.#nextId, options);
    this.#socket.write(encodeEventerFrame(header, msg));
    return this.#commit(header);
  }

  /**
   * Resolves once every byte sent so far has been handed to the operating system (Hat's
   * `drain`). Rejects with `ERR_CLOSED` if the connection closes first.
   */
  drain(): Promise<void> {
    if (this.isClosed) return Promise.reject(this.#closedError());
    if (this.#socket.writableLength === 0) return Promise.resolve();
    this.#drain ??= new Promise<void>((resolve, reject) => {
      this.#socket.write(EMPTY, (error) => {
        this.#drain = null;
        if (error == null) resolve();
        else reject(this.#closedError(error));
      });
    });
    return this.#drain;
  }

  /**
   * Closes the connection; idempotent, every call returns the same promise. Without `reason` the
   * socket is ended gracefully (pending bytes are flushed, for at most `closeTimeoutMs`); with a
   * reason it is destroyed at once. Pending and later `receive()` calls reject with `ERR_CLOSED`
   * once the already received messages are consumed.
   */
  close(reason?: Error): Promise<void> {
    return this.#group.close(reason);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #start(): void {
    const socket = this.#socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => void this.close());
    socket.on('error', (error) => void this.close(socketError(error)));
    socket.on('close', () => void this.close());
    this.#group.onClose((reason) => this.#cleanup(reason));
    this.#keepAlive?.start();
    this.#logger.debug('chatter connection open', { ...this.#info });
  }

  async #cleanup(reason: Error | undefined): Promise<void> {
    this.#keepAlive?.stop();
    this.#queue.close(this.#closedError());
    this.#logger.debug('chatter connection closing', { reason: reason?.message });
    await closeSocket(this.#socket, reason === undefined ? this.#options.closeTimeoutMs : 0);
  }

  #onData(chunk: Buffer): void {
    if (this.isClosed) return;
    let frames: Uint8Array[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      void this.close(toError(error));
      return;
    }
    for (const frame of frames) {
      if (!this.#onFrame(frame)) return;
    }
    if (this.#queue.length >= this.#options.receiveQueueSize) this.#gate.hold('receive-queue');
  }

  /** Handles one frame; false when it closed the connection. */
  #onFrame(frame: Uint8Array): boolean {
    let message;
    try {
      message = decodeChatterMsg(frame);
    } catch (error) {
      void this.close(toError(error));
      return false;
    }
    this.#keepAlive?.received();
    if (message.data.type === ChatterMsgType.Ping) {
      const conversation = { owner: !message.owner, first: message.first };
      this.send({ type: ChatterMsgType.Pong, data: EMPTY }, { conversation });
      this.#holdForPongs();
    } else if (message.data.type !== ChatterMsgType.Pong) {
      this.#queue.push(toReceivedMessage(message));
    }
    return true;
  }

  #resumeIfDrained(): void {
    if (this.#queue.length <= this.#options.receiveQueueSize >>> 1)
      this.#gate.release('receive-queue');
  }

  /** Stops reading until the socket drained when too many bytes (pongs) wait to be sent. */
  #holdForPongs(): void {
    if (this.#socket.writableLength <= PONG_HOLD_BYTES || this.#gate.isHeld('pongs')) return;
    this.#gate.hold('pongs');
    this.#socket.once('drain', () => this.#gate.release('pongs'));
  }

  #sendPing(): void {
    if (this.isClosed) return;
    this.#logger.debug('chatter ping');
    this.send({ type: ChatterMsgType.Ping, data: EMPTY }, { last: false });
  }

  /** Uses up the header's id (only once its frame was written) and returns its conversation. */
  #commit(header: ChatterHeader): Conversation {
    this.#nextId = header.id + 1;
    return { owner: header.owner, first: header.first };
  }

  #closedError(cause?: Error): ClosedError {
    return new ClosedError('chatter connection is closed', { cause: cause ?? this.#group.reason });
  }
}
