// The console talks to the HTTP API directly (docs/http-api.md): fetch for requests, one
// WebSocket for live events. The token, if any, comes from the page's `?token=` or storage.

export interface ApiTimestamp {
  readonly s: number;
  readonly us: number;
}

export type ApiPayload =
  | null
  | { readonly data_type: 'json'; readonly data: unknown }
  | { readonly data_type: 'binary'; readonly binary_type: string; readonly data: string };

export interface ApiEvent {
  readonly id: { readonly server: number; readonly session: number; readonly instance: number };
  readonly type: readonly string[];
  readonly timestamp: ApiTimestamp;
  readonly source_timestamp: ApiTimestamp | null;
  readonly payload: ApiPayload;
}

export interface Page {
  readonly events: ApiEvent[];
  readonly more_follows: boolean;
  readonly next: Record<string, unknown> | null;
}

export interface ServerStatus {
  readonly name: string;
  readonly server_id: number;
  readonly status: string;
  readonly uptime_s: number;
  readonly events_registered: number;
  readonly clients: { protocol: string; name: string }[];
}

/** A problem answer (RFC 9457) as an error: `code` is the server's `ERR_*`. */
export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, detail: string) {
    super(`${code}: ${detail}`);
    this.code = code;
  }
}

/** The API token: the page's `?token=` (remembered for later visits), or the remembered one. */
export function token(): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl !== null) localStorage.setItem('eventum-token', fromUrl);
  return fromUrl ?? localStorage.getItem('eventum-token');
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  const bearer = token();
  if (bearer !== null) headers['authorization'] = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const value = text === '' ? null : (JSON.parse(text) as unknown);
  if (!response.ok) {
    const problem = value as { code?: string; detail?: string } | null;
    throw new ApiError(problem?.code ?? 'ERR_INTERNAL', problem?.detail ?? response.statusText);
  }
  return value as T;
}

export const api = {
  register: (events: unknown[], wait: string) =>
    request<{ events?: ApiEvent[] }>('POST', `api/register?wait=${wait}`, { events }),
  query: (body: Record<string, unknown>) => request<Page>('POST', 'api/query', body),
  status: () => request<ServerStatus>('GET', 'api/status'),
};

/** `a/b/c` texts to patterns: blank lines and spaces are ignored. */
export function parsePatterns(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export function typeText(event: ApiEvent): string {
  return event.type.join('/');
}

export function timeText(t: ApiTimestamp): string {
  const date = new Date(t.s * 1000 + Math.floor(t.us / 1000));
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}.${String(t.us).padStart(6, '0')}`;
}

/** A payload's value for display: JSON text, or the binary type and size. */
export function payloadText(payload: ApiPayload): string {
  if (payload === null) return '';
  if (payload.data_type === 'json') return JSON.stringify(payload.data);
  const bytes =
    Math.floor((payload.data.length * 3) / 4) - (payload.data.match(/=+$/)?.[0].length ?? 0);
  return `<${payload.binary_type || 'binary'}: ${bytes} bytes>`;
}

/** The number a chart plots: a JSON number, or the `value` field of a JSON object. */
export function numericValue(payload: ApiPayload): number | null {
  if (payload === null || payload.data_type !== 'json') return null;
  const data = payload.data;
  if (typeof data === 'number') return data;
  const value = (data as { value?: unknown } | null)?.value;
  return typeof value === 'number' ? value : null;
}
