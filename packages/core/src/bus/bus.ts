import type { Resource } from '../lifecycle/resource.js';
import type { Logger } from '../log/logger.js';
import type { BusEvent, BusPayload } from './envelope.js';

/** Default capacity of a subscription's buffer (DECNET's queue size). */
export const DEFAULT_BUS_BUFFER_SIZE = 1024;

/** Options of {@link Bus.publish}. */
export interface BusPublishOptions {
  /** The envelope's `type` discriminator (default `''`). */
  readonly type?: string;
  /** The envelope id (default: a fresh one). JetStream de-duplicates publishes on it. */
  readonly id?: string;
  /** Epoch seconds (default: now). */
  readonly ts?: number;
  /** W3C trace context, carried as the `traceparent` header where the transport has headers. */
  readonly traceparent?: string;
  /**
   * The payload already encoded as JSON text (what `JSON.stringify(payload)` would give, spacing
   * aside). Transports that send JSON put it in the envelope instead of encoding `payload`
   * again; the in-process bus ignores it. The caller vouches that it matches `payload`.
   */
  readonly payloadJson?: string;
}

/** Where a JetStream subscription without a queue starts (default: only new events). */
export type BusReplayFrom = { readonly seq: number } | { readonly time: Date } | 'all' | 'new';

/** Options of {@link Bus.subscribe}. */
export interface BusSubscribeOptions {
  /**
   * Competing consumers: subscriptions with the same `queue` share the events, each goes to
   * one of them. NATS core: a queue group; JetStream: a durable consumer of that name with
   * explicit acks. In-process: round-robin among the group's subscriptions.
   */
  readonly queue?: string;
  /** Buffer capacity (default {@link DEFAULT_BUS_BUFFER_SIZE}); when full the oldest is dropped. */
  readonly bufferSize?: number;
  /** JetStream only, without `queue`: replay from a sequence or a time, then live. */
  readonly from?: BusReplayFrom;
}

/**
 * An open subscription: `for await` it, and close it (or `await using` it) when done.
 *
 * Events arrive in publication order per publisher. The buffer is bounded: when the consumer
 * falls behind, the oldest buffered event is dropped and `dropped` counts it (JetStream durable
 * subscriptions instead stop pulling, so nothing is dropped). Closing is idempotent, wakes a
 * pending `next()`, and unregisters from the transport; closing the bus closes it too.
 */
export interface BusSubscription extends AsyncIterable<BusEvent>, AsyncDisposable {
  readonly pattern: string;
  /** Resolves once the transport has registered the subscription: events published after it
   * are delivered. Never rejects (a failed registration ends the iteration instead). */
  readonly ready: Promise<void>;
  /** Events dropped because the buffer was full. */
  readonly dropped: number;
  readonly isClosed: boolean;
  close(): Promise<void>;
}

/** Counters every transport keeps; all only grow. */
export interface BusStats {
  /** Events handed to the transport. */
  readonly published: number;
  /** Events delivered to subscriptions of this bus. */
  readonly delivered: number;
  /** Events dropped: full subscription buffers, publishes on a closed bus. */
  readonly dropped: number;
  /** Transport errors (failed publishes, acks, malformed messages). */
  readonly errors: number;
}

/**
 * The bus (DECNET's `BaseBus`): a notification layer. Publishing is fire-and-forget; patterns
 * follow NATS wildcards (`*` one token, `>` one or more trailing tokens). Delivery guarantees
 * depend on the transport (docs/bus.md): at most once for in-process and NATS core, at least
 * once for JetStream queue subscriptions.
 *
 * `close()` is idempotent, ends every open subscription and (NATS) drains the connection.
 */
export interface Bus extends Resource {
  /** The transport: `in-process`, `null`, `nats` or `jetstream`. */
  readonly transport: string;
  readonly stats: BusStats;
  /**
   * Publishes `payload` on `topic`. Never blocks and never throws for transport failures (they
   * are logged and counted). Throws `ERR_INVALID_ARGUMENT` for a topic that is not a valid
   * subject (wildcards, empty or whitespace tokens) or a payload that is not a JSON object. On a
   * closed bus the event is dropped with one warning, or `ERR_CLOSED` is thrown with `strict`.
   */
  publish(topic: string, payload: BusPayload, options?: BusPublishOptions): void;
  /** Subscribes to `pattern`. Throws `ERR_INVALID_ARGUMENT` for a malformed pattern and
   * `ERR_CLOSED` on a closed bus (the null bus returns an ended subscription instead). */
  subscribe(pattern: string, options?: BusSubscribeOptions): BusSubscription;
  /** Resolves once everything published so far reached the transport (NATS: a server round
   * trip; JetStream: every publish acknowledged). Never rejects. */
  flush(): Promise<void>;
}

/** Common options of every transport. */
export interface BusOptions {
  readonly logger?: Logger;
  /** Publishing on a closed bus throws `ERR_CLOSED` instead of dropping (default false). */
  readonly strict?: boolean;
}

/** A bus transport selectable by configuration (`bus.type`), like a backend plugin. */
export interface BusPlugin<C = unknown> {
  readonly type: string;
  /** JSON Schema of the `bus` section for this type. */
  readonly configSchema: Record<string, unknown>;
  create(config: C, options: BusOptions): Promise<Bus>;
}
