import {
  eventToJson,
  eventToJsonText,
  eventTypeToSubject,
  noopLogger,
  registerEventFromJson,
  subjectToEventType,
  Subscription,
  timestampToFloat,
  toError,
} from '@eventum/core';
import type { Bus, BusSubscription, Event, EventType, Logger } from '@eventum/core';

import type { EngineApi, Module, ModuleInfo } from './module.js';
import type { Source } from './source.js';

/** The server → bus direction (config `bus.publish`): every registered event is published. */
export interface BusPublishBridge {
  readonly bus: Bus;
  /** Subject prefix, e.g. `eventum.1`; each event type segment follows as an escaped token. */
  readonly prefix: string;
  /** Publish once persisted (after the backend's flush) instead of at registration. */
  readonly persisted: boolean;
}

/** The envelope `type` of bridged events (the event type itself is in the subject and payload). */
export const BRIDGE_EVENT_TYPE = 'eventum.event';

/** The envelope id of a bridged event: derived from the event id, so the same event always
 * gets the same id (JetStream de-duplicates a re-publication; a server skips its own events). */
export function bridgeEnvelopeId(event: Event): string {
  return `${event.id.server}-${event.id.session}-${event.id.instance}`;
}

/**
 * Publishes `events` (one notification batch) on the bridge's bus: subject
 * {@link eventTypeToSubject}(prefix, type), payload {@link eventToJson} (encoded once, by
 * {@link eventToJsonText}, reusing the client's JSON text), `ts` the event's timestamp. One
 * loop per batch, no awaits: fire-and-forget, like every bus publish.
 */
export function publishToBus(bridge: BusPublishBridge, events: readonly Event[]): void {
  for (const event of events) {
    bridge.bus.publish(subjectOf(bridge.prefix, event.type), eventToJson(event), {
      type: BRIDGE_EVENT_TYPE,
      id: bridgeEnvelopeId(event),
      ts: timestampToFloat(event.timestamp),
      payloadJson: eventToJsonText(event),
    });
  }
}

const subjects = new WeakMap<EventType, { readonly prefix: string; readonly subject: string }>();

/** {@link eventTypeToSubject}, cached for the frozen types decoders share between events. */
function subjectOf(prefix: string, type: EventType): string {
  const cached = subjects.get(type);
  if (cached?.prefix === prefix) return cached.subject;
  const subject = eventTypeToSubject(prefix, type);
  if (Object.isFrozen(type)) subjects.set(type, { prefix, subject });
  return subject;
}

/** Options of {@link busSourceModule}: the bus → server direction (config `bus.subscribe`). */
export interface BusSourceOptions {
  /** NATS pattern to subscribe to, e.g. `sensors.>`. */
  readonly subjects: string;
  /** Prefix stripped from the subject; the remaining tokens, unescaped, are the event type. */
  readonly prefix: string;
  /** Queue group (JetStream: durable consumer) shared by several servers. */
  readonly queue?: string;
  readonly logger?: Logger;
}

/**
 * An engine module that registers bus messages as events: type from the subject (see
 * {@link subjectToEventType}), payload and source timestamp from the message payload (the shape
 * the publish bridge writes; see `registerEventFromJson`). Messages this server bridged itself
 * (envelope id `<serverId>-…`) are skipped, so publishing and subscribing overlapping subjects
 * does not loop. A malformed message is logged and skipped. Each message is its own session.
 */
export function busSourceModule(bus: Bus, options: BusSourceOptions): ModuleInfo {
  return {
    create: (_config, engine, source) => new BusSource(bus, options, engine, source),
  };
}

class BusSource implements Module {
  readonly subscription = new Subscription([]);
  readonly #subscription: BusSubscription;
  readonly #running: Promise<void>;

  constructor(bus: Bus, options: BusSourceOptions, engine: EngineApi, source: Source) {
    this.#subscription = bus.subscribe(options.subjects, {
      ...(options.queue === undefined ? {} : { queue: options.queue }),
    });
    this.#running = this.#run(options, engine, source, options.logger ?? noopLogger);
  }

  process(): undefined {
    return undefined;
  }

  async close(): Promise<void> {
    await this.#subscription.close();
    await this.#running;
  }

  async #run(
    options: BusSourceOptions,
    engine: EngineApi,
    source: Source,
    logger: Logger,
  ): Promise<void> {
    const own = `${engine.serverId}-`;
    for await (const message of this.#subscription) {
      if (message.type === BRIDGE_EVENT_TYPE && message.id.startsWith(own)) continue;
      try {
        const type = subjectToEventType(options.prefix, message.topic);
        const result = await engine.register(source, [
          registerEventFromJson(type, message.payload),
        ]);
        if (result === null) logger.warn('bus message not registered', { subject: message.topic });
      } catch (error) {
        if (this.#subscription.isClosed) return;
        logger.warn('bus message skipped', {
          subject: message.topic,
          reason: toError(error).message,
        });
      }
    }
  }
}
