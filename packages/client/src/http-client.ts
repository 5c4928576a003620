import { ErrorCode, EventumError, isEventumError } from '@eventum/core';
import type { Event, EventType, QueryParams, QueryResult, RegisterEvent } from '@eventum/core';

import { eventFromJson, queryToJson, registerEventToJson } from './http-json.js';
import type { EventJson } from './http-json.js';

/** The WebSocket the client needs: the WHATWG one (browsers, Node ≥ 22) or `ws`'s. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(
    type: 'close',
    listener: (event: { code: number; reason: string }) => void,
  ): void;
}

export type WebSocketFactory = (url: string, headers: Record<string, string>) => WebSocketLike;

export interface HttpClientOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:23080`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer` (and `?token=` on WebSockets). */
  readonly token?: string;
  /** Opens WebSockets; default `globalThis.WebSocket` (absent on Node 20: pass one built on `ws`). */
  readonly webSocket?: WebSocketFactory;
}

/** A problem answer of the HTTP API: `code` is its `ERR_*` code, `status` the HTTP status. */
export class HttpApiError extends EventumError {
  readonly status: number;
  constructor(code: ErrorCode, message: string, status: number) {
    super(code, message);
    this.status = status;
  }
}

/** A live WebSocket subscription: its filter can change while it is open. */
export interface HttpSubscription {
  /** Replaces the patterns (and the persisted mode) on the open socket. */
  setPatterns(patterns: readonly EventType[], persisted?: boolean): void;
  /** Resolves with the close code (4008: the server dropped a slow consumer). */
  readonly closed: Promise<number>;
  close(): void;
}

/**
 * A small client of the HTTP API (docs/http-api.md) for Node and tools that cannot speak the
 * eventer protocol. `query` makes it a `QuerySource`, so `queryPages`/`queryAll` page with it.
 * Failures reject with {@link HttpApiError} carrying the server's code; no request is retried.
 */
export class HttpClient {
  readonly #options: HttpClientOptions;

  constructor(options: HttpClientOptions) {
    this.#options = options;
  }

  /** Registers `events` as one session; resolves with them as registered (or stored, with
   * `wait: 'persisted'`). A refused registration rejects with `ERR_REFUSED`. */
  async register(
    events: readonly RegisterEvent[],
    options: { wait?: 'registered' | 'persisted' } = {},
  ): Promise<readonly Event[]> {
    const body = { events: events.map(registerEventToJson) };
    const answer = (await this.#post(
      `/api/register?wait=${options.wait ?? 'registered'}`,
      body,
    )) as {
      events: EventJson[];
    };
    return answer.events.map(eventFromJson);
  }

  async query(params: QueryParams): Promise<QueryResult> {
    const answer = (await this.#post('/api/query', queryToJson(params))) as {
      events: EventJson[];
      more_follows: boolean;
    };
    return { events: answer.events.map(eventFromJson), moreFollows: answer.more_follows };
  }

  /** `/api/status` as the server answers it. */
  status(): Promise<Record<string, unknown>> {
    return this.#request('GET', '/api/status') as Promise<Record<string, unknown>>;
  }

  /** Opens `/api/live` with `patterns`; resolves once the server confirmed the subscription. */
  subscribe(
    patterns: readonly EventType[],
    onEvents: (events: Event[]) => void,
  ): Promise<HttpSubscription> {
    const token = this.#options.token;
    const open = this.#options.webSocket ?? globalWebSocket;
    const headers: Record<string, string> =
      token === undefined ? {} : { authorization: `Bearer ${token}` };
    const socket = open(this.#liveUrl(patterns), headers);
    const closed = new Promise<number>((done) =>
      socket.addEventListener('close', (e) => done(e.code)),
    );
    const subscription: HttpSubscription = {
      setPatterns: (subscriptions, persisted) =>
        socket.send(
          JSON.stringify(
            persisted === undefined ? { subscriptions } : { subscriptions, persisted },
          ),
        ),
      closed,
      close: () => socket.close(),
    };
    return new Promise((resolve, reject) => {
      let confirmed = false;
      socket.addEventListener('message', ({ data }) => {
        const message = JSON.parse(String(data)) as { type: string; events?: EventJson[] };
        if (message.type === 'events') onEvents((message.events ?? []).map(eventFromJson));
        else if (message.type === 'subscribed' && !confirmed) {
          confirmed = true;
          resolve(subscription);
        }
      });
      void closed.then((code) => {
        if (!confirmed)
          reject(new HttpApiError(ErrorCode.Refused, `WebSocket closed (${code})`, 0));
      });
    });
  }

  #liveUrl(patterns: readonly EventType[]): string {
    const url = new URL('/api/live', this.#options.url.replace(/^http/, 'ws'));
    for (const p of patterns) url.searchParams.append('types', p.join('/'));
    if (this.#options.token !== undefined) url.searchParams.set('token', this.#options.token);
    return url.toString();
  }

  #post(path: string, body: unknown): Promise<unknown> {
    return this.#request('POST', path, body);
  }

  async #request(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#options.token !== undefined)
      headers['authorization'] = `Bearer ${this.#options.token}`;
    let response: Response;
    try {
      response = await fetch(new URL(path, this.#options.url), {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new HttpApiError(
        ErrorCode.Refused,
        `cannot reach ${this.#options.url}: ${String(error)}`,
        0,
      );
    }
    const value = await response.json();
    if (response.ok) return value;
    const problem = value as { code?: unknown; detail?: unknown };
    const code = isEventumError(problem) ? problem.code : ErrorCode.Internal;
    const detail = typeof problem.detail === 'string' ? problem.detail : response.statusText;
    throw new HttpApiError(code, detail, response.status);
  }
}

function globalWebSocket(url: string): WebSocketLike {
  const constructor = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (constructor === undefined) {
    throw new EventumError(
      ErrorCode.Unsupported,
      'no global WebSocket: pass options.webSocket (e.g. from ws)',
    );
  }
  return new constructor(url);
}
