// Helpers for the HTTP API's tests: a real `eventum server` process and plain HTTP/WS clients.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

import { tempDir } from '@eventum/testing';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { WebSocket } from 'ws';

import { startServerProcess } from './testing.js';
import type { ServerProcess } from './testing.js';

/** A server process with its HTTP API's base URL. */
export interface HttpServer {
  readonly process: ServerProcess;
  readonly base: string;
  readonly dir: string;
}

/** A module that fails every session holding a `refuse/...` event. */
const refuserModule = `export const info = {
  create() {
    return {
      subscription: { matches: (type) => type[0] === 'refuse' },
      process() { throw new Error('refused by the test module'); },
    };
  },
};
`;

/** Starts `eventum server` on free ports with `lines` added to its configuration; the
 * configuration's directory holds `refuser.js` (see `refuserModule`). */
export async function startHttpServer(
  t: TestContext,
  lines: readonly string[] = [],
): Promise<HttpServer> {
  const dir = await tempDir();
  t.after(() => dir.remove());
  await writeFile(join(dir.path, 'refuser.js'), refuserModule);
  const conf = join(dir.path, 'server.yaml');
  const config = [
    'eventer_server: {host: 127.0.0.1, port: 0}',
    'backend: {type: memory}',
    ...lines,
  ];
  await writeFile(conf, `${config.join('\n')}\n`);
  const process = await startServerProcess(['--conf', conf]);
  t.after(() => process.stop('SIGKILL'));
  const scheme = lines.some((l) => l.includes('tls:')) ? 'https' : 'http';
  return { process, base: `${scheme}://127.0.0.1:${process.httpPort}`, dir: dir.path };
}

export interface Answer {
  readonly status: number;
  readonly type: string;
  readonly headers: Headers;
  readonly body: unknown;
}

/** One request; a JSON `body` is sent as JSON. The answer's body is parsed when it is JSON. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${path}`, init);
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  return {
    status: response.status,
    type,
    headers: response.headers,
    body: type.includes('json') && text !== '' ? JSON.parse(text) : text,
  };
}

type OpenApiDoc = {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};

/** Validates answers against the server's own `/openapi.json`. */
export class OpenApiChecker {
  readonly #doc: OpenApiDoc;
  readonly #ajv = new Ajv({ strict: false, discriminator: true, allErrors: true });
  readonly #cache = new Map<string, ValidateFunction>();

  private constructor(doc: OpenApiDoc) {
    this.#doc = doc;
  }

  static async load(base: string): Promise<OpenApiChecker> {
    const answer = await call(base, 'GET', '/openapi.json');
    return new OpenApiChecker(answer.body as OpenApiDoc);
  }

  /** Throws when `answer` does not match the document's schema for its status (or `default`). */
  check(method: string, path: string, answer: Answer): void {
    const responses = this.#doc.paths[path]?.[method.toLowerCase()]?.responses;
    if (responses === undefined) throw new Error(`${method} ${path} is not in /openapi.json`);
    const key = String(answer.status) in responses ? String(answer.status) : 'default';
    const content = (
      responses[key] as { content?: Record<string, { schema?: object }> } | undefined
    )?.content;
    const media = answer.type.split(';', 1)[0] ?? '';
    const schema = content?.[media]?.schema;
    if (content !== undefined && schema === undefined) {
      throw new Error(`${method} ${path} ${answer.status}: ${media} not documented`);
    }
    if (schema === undefined) return;
    const id = `${method} ${path} ${key} ${media}`;
    let validate = this.#cache.get(id);
    if (validate === undefined) this.#cache.set(id, (validate = this.#ajv.compile(schema)));
    if (!validate(answer.body)) {
      throw new Error(`${id}: ${this.#ajv.errorsText(validate.errors)}`);
    }
  }
}

/** A WebSocket client that queues what it receives. */
export class WsProbe {
  readonly socket: WebSocket;
  readonly received: Record<string, unknown>[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: (() => void)[] = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data: Buffer) => {
      this.received.push(JSON.parse(data.toString()) as Record<string, unknown>);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', (code: number, reason: Buffer) =>
        resolve({ code, reason: reason.toString() }),
      ),
    );
  }

  static open(url: string, options: { headers?: Record<string, string> } = {}): Promise<WsProbe> {
    const socket = new WebSocket(url, options);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new WsProbe(socket)));
      socket.once('error', reject);
    });
  }

  /** The first message received (from `from` on) that `match` accepts, waiting for it. */
  async next(
    match: (m: Record<string, unknown>) => boolean,
    from = 0,
  ): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.received.slice(from).find(match);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  send(value: unknown): void {
    this.socket.send(JSON.stringify(value));
  }

  close(): void {
    this.socket.close();
  }
}

/** `a/b/c` of an event in a JSON answer. */
export function typeText(event: unknown): string {
  return (event as { type: string[] }).type.join('/');
}
