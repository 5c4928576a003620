// Live events for the views: WebSockets that reconnect, bounded buffers, and a version number
// the views poll a few times a second, so a flood of events costs one render per tick, not one
// per event.
import type { ApiEvent } from './api.js';
import { numericValue, token, typeText } from './api.js';

/** Keeps the newest `capacity` items; trims in chunks so a push is O(1) amortised. */
export class Ring<T> {
  readonly capacity: number;
  #items: T[] = [];
  constructor(capacity: number) {
    this.capacity = capacity;
  }
  push(items: readonly T[]): void {
    for (const item of items) this.#items.push(item);
    if (this.#items.length > 2 * this.capacity) this.#items = this.#items.slice(-this.capacity);
  }
  /** The newest `n` items, newest last. */
  newest(n = this.capacity): T[] {
    return this.#items.slice(-Math.min(n, this.capacity));
  }
  clear(): void {
    this.#items = [];
  }
}

/** Hat's pattern rule: `?` is one segment, a last `*` is any number of segments. */
export function matchesPattern(pattern: readonly string[], type: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i];
    if (segment === '*' && i === pattern.length - 1) return true;
    if (i >= type.length || (segment !== '?' && segment !== type[i])) return false;
  }
  return pattern.length === type.length;
}

export function matchesAny(patterns: readonly (readonly string[])[], event: ApiEvent): boolean {
  return patterns.some((p) => matchesPattern(p, event.type));
}

type Listener = (events: ApiEvent[]) => void;

/** One WebSocket on `/api/live` whose filter follows `setPatterns`; reconnects after a close. */
export class LiveSocket {
  #socket: WebSocket | null = null;
  #patterns: string[];
  #listener: Listener;
  #closed = false;
  connected = false;

  constructor(patterns: string[], listener: Listener) {
    this.#patterns = patterns;
    this.#listener = listener;
    this.#open();
  }

  setPatterns(patterns: string[]): void {
    this.#patterns = patterns;
    if (this.#socket?.readyState === WebSocket.OPEN) {
      this.#socket.send(JSON.stringify({ subscriptions: patterns }));
    }
  }

  close(): void {
    this.#closed = true;
    this.#socket?.close();
  }

  #open(): void {
    const url = new URL('api/live', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const bearer = token();
    if (bearer !== null) url.searchParams.set('token', bearer);
    for (const p of this.#patterns) url.searchParams.append('types', p);
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.onopen = () => (this.connected = true);
    socket.onmessage = (message: MessageEvent<string>) => {
      const data = JSON.parse(message.data) as { type: string; events?: ApiEvent[] };
      if (data.type === 'events' && data.events !== undefined) this.#listener(data.events);
    };
    socket.onclose = () => {
      this.connected = false;
      if (!this.#closed) setTimeout(() => this.#open(), 1000);
    };
  }
}

/** A chart series: timestamps (s) and values, bounded. */
export interface Series {
  x: number[];
  y: number[];
}

export const MAX_POINTS = 10_000;
export const MAX_LATEST = 10_000;

/** State shared by the views, mutated in place; `version` tells them something changed. */
export class Store {
  version = 0;
  received = 0;
  readonly live = new Ring<ApiEvent>(2000);
  readonly latest = new Map<string, ApiEvent>();
  readonly series = new Map<string, Series>();
  // Kept split into segments too: every live event is matched against them.
  #latest: { texts: string[]; split: string[][] } = { texts: ['*'], split: [['*']] };
  #chart: { texts: string[]; split: string[][] } = { texts: [], split: [] };

  get latestPatterns(): string[] {
    return this.#latest.texts;
  }
  set latestPatterns(texts: string[]) {
    this.#latest = { texts, split: texts.map((t) => t.split('/')) };
  }
  get chartPatterns(): string[] {
    return this.#chart.texts;
  }
  set chartPatterns(texts: string[]) {
    this.#chart = { texts, split: texts.map((t) => t.split('/')) };
  }

  onLive = (events: ApiEvent[]): void => {
    this.received += events.length;
    this.live.push(events);
    this.version++;
  };

  onWatch = (events: ApiEvent[]): void => {
    for (const event of events) {
      if (matchesAny(this.#latest.split, event)) this.#setLatest(event);
      if (matchesAny(this.#chart.split, event)) this.addPoint(event);
    }
    this.version++;
  };

  addPoint(event: ApiEvent): void {
    const value = numericValue(event.payload);
    if (value === null) return;
    const key = typeText(event);
    let series = this.series.get(key);
    if (series === undefined) this.series.set(key, (series = { x: [], y: [] }));
    series.x.push(event.timestamp.s + event.timestamp.us / 1e6);
    series.y.push(value);
    if (series.x.length > 2 * MAX_POINTS) {
      series.x = series.x.slice(-MAX_POINTS);
      series.y = series.y.slice(-MAX_POINTS);
    }
  }

  #setLatest(event: ApiEvent): void {
    const key = typeText(event);
    if (!this.latest.has(key) && this.latest.size >= MAX_LATEST) return;
    this.latest.set(key, event);
  }
}
