/** Who produced an event inside the server (Hat's `SourceType`). */
export const SourceType = {
  /** An eventer client connection; `id` is the connection id. */
  Eventer: 'eventer',
  /** An engine module; `id` is its 0-based index in the configuration. */
  Module: 'module',
  /** An HTTP request or WebSocket of the HTTP gateway; `id` is its request or socket number. */
  Http: 'http',
  /** The engine itself (STARTED/STOPPED events); `id` is 0. */
  Engine: 'engine',
  /** The server outside the engine (e.g. synced-state events); `id` is 0. */
  Server: 'server',
} as const;
export type SourceType = (typeof SourceType)[keyof typeof SourceType];

/**
 * The origin of a registration or of an event inside a session: passed to `Module.process` so a
 * module can tell a client's event from another module's output. Never stored with the event.
 */
export interface Source {
  readonly type: SourceType;
  readonly id: number;
}

/** `type/id`, for log lines (`module/2`, `eventer/17`). */
export function formatSource(source: Source): string {
  return `${source.type}/${source.id}`;
}
