import { ClosedError, ErrorCode, EventumError } from '@eventum/core';

/** What both a `MessagePort` and a `Worker` offer (node:worker_threads). */
export interface Endpoint {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'close' | 'exit', listener: () => void): unknown;
}

type Handler = (...args: never[]) => unknown;

interface Request {
  readonly rpc: number;
  readonly method: string;
  readonly args: unknown[];
}
interface Reply {
  readonly reply: number;
  readonly result?: unknown;
  readonly error?: { message: string; code?: string };
}

/**
 * Requests and replies over a message port (worker threads): each request carries an id and
 * its reply settles the caller's promise. An error crosses as message and `ERR_*` code and is
 * rebuilt as an `EventumError`. When the other side goes away every pending request rejects
 * with `ERR_CLOSED`. Other messages go to `onOther` (prompts).
 */
export class Rpc {
  readonly #endpoint: Endpoint;
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  #handlers: Readonly<Record<string, Handler>> = {};
  #next = 1;
  #closed: Error | undefined;

  constructor(endpoint: Endpoint, onOther: (message: unknown) => void = () => undefined) {
    this.#endpoint = endpoint;
    endpoint.on('message', (m) => this.#receive(m, onOther));
    const gone = (): void => this.fail(new ClosedError('the other thread went away'));
    endpoint.on('close', gone);
  }

  /** Answers requests with `handlers` (method name → function). */
  serve(handlers: Readonly<Record<string, Handler>>): void {
    this.#handlers = handlers;
  }

  request<T>(method: string, ...args: unknown[]): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    const rpc = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(rpc, { resolve: resolve as (v: unknown) => void, reject });
      this.#endpoint.postMessage({ rpc, method, args } satisfies Request);
    });
  }

  /** Rejects every pending and later request with `error`. */
  fail(error: Error): void {
    this.#closed ??= error;
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
  }

  #receive(message: unknown, onOther: (message: unknown) => void): void {
    const m = message as Partial<Request & Reply>;
    if (typeof m.rpc === 'number') return void this.#answer(m as Request);
    if (typeof m.reply !== 'number') return onOther(message);
    const pending = this.#pending.get(m.reply);
    this.#pending.delete(m.reply);
    if (m.error === undefined) pending?.resolve(m.result);
    else pending?.reject(rebuild(m.error));
  }

  async #answer(request: Request): Promise<void> {
    let reply: Reply;
    try {
      const handler = this.#handlers[request.method];
      if (handler === undefined) throw new Error(`no handler for ${request.method}`);
      reply = { reply: request.rpc, result: await handler(...(request.args as never[])) };
    } catch (error) {
      const e = error as { message?: unknown; code?: unknown };
      const code = typeof e.code === 'string' ? { code: e.code } : {};
      reply = { reply: request.rpc, error: { message: String(e.message ?? error), ...code } };
    }
    try {
      this.#endpoint.postMessage(reply);
    } catch (error) {
      // A result that cannot be cloned: the requester still gets an answer.
      const message = `the result of ${request.method} cannot cross threads: ${String(error)}`;
      try {
        this.#endpoint.postMessage({ reply: request.rpc, error: { message } } satisfies Reply);
      } catch {
        // The requester is gone: nobody is waiting for the answer.
      }
    }
  }
}

function rebuild(error: { message: string; code?: string }): Error {
  const known = Object.values(ErrorCode) as string[];
  if (error.code !== undefined && known.includes(error.code))
    return new EventumError(error.code as ErrorCode, error.message);
  return new Error(error.message);
}
