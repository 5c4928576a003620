import type { Event, EventType } from '@eventum/core';
import { Subscription } from '@eventum/core';

import { eventsJsonText } from './api-json.js';

/**
 * One live subscriber (a WebSocket or an SSE stream). `deliver` gets `{"events":[...]}` text
 * of the events it selected and owns what happens when the peer is slow.
 */
export interface LiveSubscriber {
  readonly protocol: 'websocket' | 'sse';
  /** The peer's address, as `/api/status` lists it. */
  readonly name: string;
  subscription: Subscription;
  /** Take flushed events (true) or events as registered (false). */
  persisted: boolean;
  /** Bytes waiting to be sent to the peer. */
  readonly bufferedBytes: number;
  deliver(eventsText: string, count: number): void;
}

/**
 * Fans out every notification of the server to the live subscribers. Each distinct selection is
 * encoded once per notification (subscribers that take all of it share one text), and delivery
 * never waits: a subscriber whose peer is slow deals with it itself, so none stalls the others.
 */
export class LiveHub {
  readonly #subscribers = new Set<LiveSubscriber>();
  websocketSlowConsumers = 0;
  sseDropped = 0;

  get size(): number {
    return this.#subscribers.size;
  }

  add(subscriber: LiveSubscriber): void {
    this.#subscribers.add(subscriber);
  }

  delete(subscriber: LiveSubscriber): void {
    this.#subscribers.delete(subscriber);
  }

  notify(events: readonly Event[], persisted: boolean): void {
    let shared: string | null = null;
    for (const subscriber of this.#subscribers) {
      if (subscriber.persisted !== persisted) continue;
      const subscription = subscriber.subscription;
      const selected = events.filter((e) => subscription.matches(e.type));
      if (selected.length === 0) continue;
      const text =
        selected.length === events.length
          ? (shared ??= eventsJsonText(events))
          : eventsJsonText(selected);
      subscriber.deliver(text, selected.length);
    }
  }

  /** The subscribers as `/api/status` lists them. */
  clients(): { protocol: string; name: string }[] {
    return [...this.#subscribers].map(({ protocol, name }) => ({ protocol, name }));
  }

  /** Subscriber counts and queued bytes by protocol, for `/metrics`. */
  stats(): {
    clients: Record<'websocket' | 'sse', number>;
    bytes: Record<'websocket' | 'sse', number>;
  } {
    const clients = { websocket: 0, sse: 0 };
    const bytes = { websocket: 0, sse: 0 };
    for (const subscriber of this.#subscribers) {
      clients[subscriber.protocol] += 1;
      bytes[subscriber.protocol] += subscriber.bufferedBytes;
    }
    return { clients, bytes };
  }
}

/** A subscription from type patterns; `[]` selects nothing, absent selects everything. */
export function subscriptionOf(types: readonly EventType[] | undefined): Subscription {
  return types === undefined ? Subscription.all : new Subscription(types);
}
