import { noopLogger } from '@eventum/core';
import type { Bus, BusEvent, BusPayload, BusReplayFrom, Logger } from '@eventum/core';

import type { Catalogue } from './catalogue.js';
import { notificationFactory } from './create.js';
import { decodeNotification } from './decode.js';
import { ionCatalogue } from './ion.js';
import type { Kind, NotificationData, NotificationInput } from './kind.js';
import { nextNotificationId } from './publish-ids.js';
import {
  checkPrefix,
  checkSystem,
  notificationPattern,
  parseSubject,
  queueName,
} from './routing.js';
import type { Route } from './routing.js';

import { NotifySubscription } from './subscription.js';
import type { AnyNotification, Notification } from './subscription.js';
import { NotificationError } from './validate.js';

/** How many subjects' routes, and subjects per kind, a notifier remembers (all are forgotten
 * when it is full). */
const ROUTES_KEPT = 1024;

/** Options of {@link createNotifier}. */
export interface NotifierOptions<K extends Kind> {
  /** The bus to publish and subscribe on; the caller owns it (and closes it). */
  readonly bus: Bus;
  /** The kinds this notifier knows (default {@link ionCatalogue}). */
  readonly catalogue?: Catalogue<K>;
  /** The system name (ION's sysname; default `eventum`): prefixes subjects and queue names. */
  readonly system?: string;
  /** The subjects' prefix (default `<system>.events`, ION's `<sysname>.events.topic`). */
  readonly subjectPrefix?: string;
  readonly logger?: Logger;
}

/** A kind of `K` named by its object or its name. */
export type KindOf<K extends Kind, R> = R extends Kind ? R : Extract<K, { readonly name: R }>;

/** Options of {@link Notifier.subscribe}. */
export interface NotifySubscribeOptions<R> {
  /** The kind (object or name); absent: every kind (of the catalogue). */
  readonly kind?: R;
  /** The origin, or an origin pattern (`chan1.*`, `chan1.>`); absent: any origin. */
  readonly origin?: string;
  /**
   * A named subscriber: subscribers with the same `queue` (in the same system) share the
   * notifications, each to one of them. On JetStream it is a durable consumer: notifications
   * published while every member is away wait for the next one. Absent: anonymous, every
   * notification.
   */
  readonly queue?: string;
  /** The bus buffer (default 1024; drop-oldest). */
  readonly bufferSize?: number;
  /** JetStream, anonymous subscribers: replay from a sequence or a time, then live. */
  readonly from?: BusReplayFrom;
  /** Called for each message that fails the receipt check (it is skipped). */
  readonly onInvalid?: (error: NotificationError, event: BusEvent) => void;
}

/** A publisher of one kind with an optional default origin (ION's `EventPublisher`). */
export interface Publisher<K extends Kind> {
  readonly kind: K;
  readonly origin: string | undefined;
  /** ION's `create_event`: the checked payload, not published. Throws `NotificationError`. */
  readonly create: (input: NotificationInput<K>) => NotificationData<K>;
  /**
   * Creates and publishes; returns the envelope id. Throws `NotificationError` (nothing is
   * published) for an unknown field, an unknown enum name, a missing or `unknown` origin, or a
   * value the kind's schema refuses. Transport failures are the bus's: logged, never thrown.
   */
  readonly publish: (input: NotificationInput<K>) => string;
}

/** Counters of one notifier; all only grow. */
export interface NotifierStats {
  readonly published: number;
  readonly received: number;
  readonly invalid: number;
}

/**
 * ION's event notifications on eventum's bus: typed publishers and subscribers of the kinds of a
 * catalogue, routed as `<prefix>.<kind id>.<origin>`.
 */
export class Notifier<K extends Kind = Kind> {
  readonly bus: Bus;
  readonly catalogue: Catalogue<K>;
  readonly system: string;
  readonly subjectPrefix: string;
  readonly #logger: Logger;
  readonly #stats = { published: 0, received: 0, invalid: 0 };
  readonly #routes = new Map<string, Route | string>();
  /** The subject routed last and its route: a run of notifications mostly shares one. */
  #lastSubject: string | undefined;
  #lastRoute: Route | string = '';
  /** Per kind, the subject of each origin published on. */
  readonly #subjects = new Map<Kind, Subjects>();

  constructor(options: NotifierOptions<K>) {
    this.bus = options.bus;
    this.catalogue = options.catalogue ?? (ionCatalogue as unknown as Catalogue<K>);
    this.system = checkSystem(options.system ?? 'eventum');
    this.subjectPrefix = checkPrefix(options.subjectPrefix ?? `${this.system}.events`);
    this.#logger = options.logger ?? noopLogger;
  }

  get stats(): NotifierStats {
    return { ...this.#stats };
  }

  /** A publisher of `kind` whose notifications default to `options.origin`. */
  publisher<const R extends K | K['name']>(
    kind: R,
    options: { readonly origin?: string } = {},
  ): Publisher<KindOf<K, R>> {
    const resolved = this.catalogue.resolve(kind) as KindOf<K, R>;
    const origin = options.origin;
    const create = notificationFactory(resolved);
    const subjects = this.#subjectsOf(resolved);
    return {
      kind: resolved,
      origin,
      create: (input) => create(input, origin, Date.now() / 1000),
      publish: (input) => {
        // One clock read: the default `datetime` and the envelope's `ts`, the same instant.
        const now = Date.now() / 1000;
        return this.#send(resolved, create(input, origin, now), subjects, now);
      },
    };
  }

  /** Creates and publishes one notification of `kind` (see {@link Publisher.publish}). */
  publish<const R extends K | K['name']>(kind: R, input: NotificationInput<KindOf<K, R>>): string {
    return this.publisher(kind).publish(input);
  }

  /** Subscribes to notifications of one kind (or of every kind) from an origin (or any). */
  subscribe<const R extends K | K['name']>(
    options: NotifySubscribeOptions<R> & { readonly kind: R },
  ): NotifySubscription<Notification<KindOf<K, R>>>;
  subscribe(options?: NotifySubscribeOptions<never>): NotifySubscription<AnyNotification<K>>;
  subscribe(options: NotifySubscribeOptions<K | K['name']>): NotifySubscription<AnyNotification<K>>;
  subscribe(options: NotifySubscribeOptions<K | string> = {}): NotifySubscription<Notification> {
    const kind = options.kind === undefined ? undefined : this.catalogue.resolve(options.kind);
    const pattern = notificationPattern(this.subjectPrefix, kind?.id, options.origin);
    const queue = options.queue === undefined ? undefined : queueName(this.system, options.queue);
    const inner = this.bus.subscribe(pattern, {
      ...(queue === undefined ? {} : { queue }),
      ...(options.bufferSize === undefined ? {} : { bufferSize: options.bufferSize }),
      ...(options.from === undefined ? {} : { from: options.from }),
    });
    return new NotifySubscription<Notification>(
      inner,
      (event) => this.#decode(event, kind),
      (error, event) => this.#invalid(error, event, options.onInvalid),
    );
  }

  /** Checks a bus event as a subscriber does; throws the `NotificationError` it would skip. */
  decode(event: BusEvent): AnyNotification<K> {
    const decoded = decodeNotification(this.catalogue, this.#route(event.topic), event, undefined);
    if (decoded instanceof NotificationError) throw decoded;
    if (decoded === undefined) throw new Error('unreachable: no kind filter');
    return decoded as AnyNotification<K>;
  }

  #send(kind: Kind, payload: NotificationData<Kind>, subjects: Subjects, ts: number): string {
    const id = nextNotificationId();
    this.bus.publish(subjects.of(payload.origin), payload as BusPayload, {
      id,
      type: kind.name,
      ts,
    });
    this.#stats.published++;
    return id;
  }

  #subjectsOf(kind: Kind): Subjects {
    let subjects = this.#subjects.get(kind);
    if (subjects === undefined) {
      subjects = new Subjects(`${this.subjectPrefix}.${kind.id}.`);
      this.#subjects.set(kind, subjects);
    }
    return subjects;
  }

  #decode(event: BusEvent, kind: Kind | undefined): ReturnType<typeof decodeNotification> {
    const decoded = decodeNotification(this.catalogue, this.#route(event.topic), event, kind);
    if (decoded !== undefined && !(decoded instanceof NotificationError)) this.#stats.received++;
    return decoded;
  }

  /** {@link parseSubject}, remembered for the subjects seen last (origins repeat). */
  #route(subject: string): Route | string {
    if (subject === this.#lastSubject) return this.#lastRoute;
    let route = this.#routes.get(subject);
    if (route === undefined) {
      route =
        parseSubject(this.subjectPrefix, subject) ??
        `subject ${subject} is not under ${this.subjectPrefix}`;
      if (this.#routes.size >= ROUTES_KEPT) this.#routes.clear();
      this.#routes.set(subject, route);
    }
    this.#lastSubject = subject;
    this.#lastRoute = route;
    return route;
  }

  #invalid(
    error: NotificationError,
    event: BusEvent,
    onInvalid: NotifySubscribeOptions<unknown>['onInvalid'],
  ): void {
    this.#stats.invalid++;
    const fields = { topic: event.topic, id: event.id, reason: error.message };
    if (this.#stats.invalid === 1) this.#logger.warn('invalid notification skipped', fields);
    else this.#logger.debug('invalid notification skipped', fields);
    onInvalid?.(error, event);
  }
}

/**
 * The subjects of one kind's notifications by origin: the same string every time, so the bus
 * finds it in its caches without hashing or flattening a new one per publish. The last one is
 * kept apart (a publisher mostly publishes from one origin).
 */
class Subjects {
  readonly #prefix: string;
  readonly #byOrigin = new Map<string, string>();
  #origin: string | undefined;
  #subject = '';

  /** `prefix`: `<subject prefix>.<kind id>.` */
  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** The subject of `origin`. Valid by construction: the prefix was checked once, the origin by
   * the kind's schema (ORIGIN_PATTERN is the subject token rule), so no check per publish. */
  of(origin: string): string {
    if (origin === this.#origin) return this.#subject;
    let subject = this.#byOrigin.get(origin);
    if (subject === undefined) {
      subject = this.#prefix + origin;
      if (this.#byOrigin.size >= ROUTES_KEPT) this.#byOrigin.clear();
      this.#byOrigin.set(origin, subject);
    }
    this.#origin = origin;
    this.#subject = subject;
    return subject;
  }
}

/** A {@link Notifier} on `options.bus` (no I/O: the bus is already open). */
export function createNotifier<K extends Kind = (typeof ionCatalogue.kinds)[number]>(
  options: NotifierOptions<K>,
): Notifier<K> {
  return new Notifier<K>(options);
}
