import { ClosedError, invalidArgument } from '../errors.js';
import { GroupResource } from '../lifecycle/group-resource.js';
import type { Logger } from '../log/logger.js';
import { noopLogger } from '../log/logger.js';
import { isValidSubject, isValidSubjectPattern } from '../matching/match.js';
import type { BusOptions, BusStats } from './bus.js';

const TOPIC_CACHE_SIZE = 4096;

/** Mutable counters behind {@link BusStats}. */
export interface BusCounters {
  published: number;
  delivered: number;
  dropped: number;
  errors: number;
}

/**
 * What every transport shares: the Resource lifecycle, counters, argument checks and the
 * closed-bus publish policy (drop with one warning, later drops at debug; `strict` throws).
 */
export abstract class BusBase extends GroupResource {
  readonly counters: BusCounters = { published: 0, delivered: 0, dropped: 0, errors: 0 };
  protected readonly logger: Logger;
  readonly #strict: boolean;
  #closedDrops = 0;
  /** Topics already checked: most buses publish on a small set of them. */
  readonly #validTopics = new Set<string>();

  constructor(options: BusOptions) {
    super();
    this.logger = options.logger ?? noopLogger;
    this.#strict = options.strict ?? false;
  }

  get stats(): BusStats {
    return { ...this.counters };
  }

  /** Checks a publish; false when the bus is closed and the event was dropped. */
  protected admitPublish(topic: string): boolean {
    if (!this.#validTopics.has(topic)) {
      if (!isValidSubject(topic))
        throw invalidArgument(`invalid bus topic ${JSON.stringify(topic)}`);
      if (this.#validTopics.size >= TOPIC_CACHE_SIZE) this.#validTopics.clear();
      this.#validTopics.add(topic);
    }
    if (!this.isClosed) return true;
    if (this.#strict) throw new ClosedError('publish on a closed bus');
    this.counters.dropped++;
    this.#closedDrops++;
    const level = this.#closedDrops === 1 ? 'warn' : 'debug';
    this.logger[level]('publish on closed bus dropped', { topic });
    return false;
  }

  /** Checks a subscribe: a valid pattern on an open bus. */
  protected admitSubscribe(pattern: string): void {
    if (!isValidSubjectPattern(pattern)) {
      throw invalidArgument(`invalid bus pattern ${JSON.stringify(pattern)}`);
    }
    this.group.assertOpen('bus');
  }

  /** Counts and logs a transport error; never throws. */
  protected transportError(
    message: string,
    error: unknown,
    fields: Record<string, unknown> = {},
  ): void {
    this.counters.errors++;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(message, { ...fields, reason });
  }
}
