import type { Socket } from 'node:net';

import { EventerMsgType, Status, decodeEventerMsg } from '@eventum/core';
import type {
  Event,
  EventerMsg,
  MsgInitReq,
  QueryParams,
  QueryResult,
  RegisterEvent,
} from '@eventum/core';

import { ChatterConnection } from '../chatter-connection.js';
import type { Conversation, ReceivedMessage } from '../conversation.js';
import { ReceiveQueue } from '../receive-queue.js';
import { listenRaw } from './loopback.js';
import type { RawServer } from './loopback.js';

/** Behaviour of a {@link FakeEventerServer}; every callback is optional. */
export interface FakeEventerOptions {
  /** Refuse every client with this text. */
  readonly initError?: string;
  /** Status sent in `MsgInitRes` (default operational). */
  readonly status?: Status;
  /** Answer of a register with response; default: events numbered from 1, session 1. */
  readonly onRegister?: (events: readonly RegisterEvent[]) => readonly Event[] | null;
  /** Answer of a query; `undefined` = never answer. Default: an empty result. */
  readonly onQuery?: (params: QueryParams) => QueryResult | undefined;
}

/** One message the fake received after init, decoded. */
export interface Received {
  readonly message: ReceivedMessage;
  readonly msg: EventerMsg;
}

/** One accepted client connection of the fake. */
export class FakeSession {
  readonly connection: ChatterConnection;
  readonly init: MsgInitReq;
  readonly initMessage: ReceivedMessage;
  readonly #received = new ReceiveQueue<Received>();

  constructor(connection: ChatterConnection, initMessage: ReceivedMessage, init: MsgInitReq) {
    this.connection = connection;
    this.initMessage = initMessage;
    this.init = init;
  }

  /** The next message received after init (requests, acks). */
  next(): Promise<Received> {
    return this.#received.shift();
  }

  get pending(): number {
    return this.#received.length;
  }

  notify(events: readonly Event[], last = true): Conversation {
    return this.connection.sendEventer(
      { type: EventerMsgType.EventsNotify, data: events },
      { last },
    );
  }

  setStatus(status: Status): void {
    this.connection.sendEventer({ type: EventerMsgType.StatusNotify, data: status });
  }

  /** Serves requests until the connection closes. */
  async serve(options: FakeEventerOptions): Promise<void> {
    for await (const message of this.connection) {
      const msg = decodeEventerMsg(message.data.type, message.data.data);
      this.#received.push({ message, msg });
      this.#answer(message, msg, options);
    }
    this.#received.close(new Error('fake session closed'));
  }

  #answer(message: ReceivedMessage, msg: EventerMsg, options: FakeEventerOptions): void {
    const conversation = message.conversation;
    if (msg.type === EventerMsgType.RegisterReq && !message.last) {
      const events = (options.onRegister ?? numbered)(msg.data);
      const data =
        events === null ? { type: 'failure' as const } : { type: 'events' as const, events };
      this.connection.sendEventer({ type: EventerMsgType.RegisterRes, data }, { conversation });
    } else if (msg.type === EventerMsgType.QueryReq) {
      const result = options.onQuery
        ? options.onQuery(msg.data)
        : { events: [], moreFollows: false };
      if (result === undefined) return;
      this.connection.sendEventer(
        { type: EventerMsgType.QueryRes, data: result },
        { conversation },
      );
    }
  }
}

/** A minimal eventer server on 127.0.0.1 (port 0) for client tests. */
export class FakeEventerServer {
  readonly #listener: RawServer;
  readonly #state: ServerState;

  private constructor(listener: RawServer, state: ServerState) {
    this.#listener = listener;
    this.#state = state;
  }

  static async start(options: FakeEventerOptions = {}): Promise<FakeEventerServer> {
    const state: ServerState = { sessions: new ReceiveQueue(), connections: [] };
    // A client that leaves before init (or mid-session) just ends its session.
    const listener = await listenRaw((socket) => {
      accept(socket, options, state).catch(() => undefined);
    });
    return new FakeEventerServer(listener, state);
  }

  get port(): number {
    return this.#listener.port;
  }

  /** The next client that completed init (refused clients are not sessions). */
  nextSession(): Promise<FakeSession> {
    return this.#state.sessions.shift();
  }

  async close(): Promise<void> {
    await Promise.all(this.#state.connections.map((c) => c.close()));
    await this.#listener.close();
  }
}

interface ServerState {
  readonly sessions: ReceiveQueue<FakeSession>;
  readonly connections: ChatterConnection[];
}

async function accept(
  socket: Socket,
  options: FakeEventerOptions,
  state: ServerState,
): Promise<void> {
  const connection = ChatterConnection.fromSocket(socket, { pingDelayMs: 0 });
  state.connections.push(connection);
  const initMessage = await connection.receive();
  const init = decodeEventerMsg(initMessage.data.type, initMessage.data.data);
  if (init.type !== EventerMsgType.InitReq) throw new Error('expected MsgInitReq');
  const conversation = initMessage.conversation;
  const data =
    options.initError === undefined
      ? { type: 'success' as const, status: options.status ?? Status.Operational }
      : { type: 'error' as const, error: options.initError };
  connection.sendEventer({ type: EventerMsgType.InitRes, data }, { conversation });
  if (data.type === 'error') return;
  const session = new FakeSession(connection, initMessage, init.data);
  state.sessions.push(session);
  await session.serve(options);
}

function numbered(events: readonly RegisterEvent[]): Event[] {
  return events.map((event, i) => ({
    id: { server: 1, session: 1, instance: i + 1 },
    type: event.type,
    timestamp: { s: 1_700_000_000, us: 0 },
    sourceTimestamp: event.sourceTimestamp ?? null,
    payload: event.payload ?? null,
  }));
}
