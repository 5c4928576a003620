import type { Logger } from '../log/logger.js';

/**
 * Whether a file-based backend's storage is writable, as its flushes find out. After a failed
 * flush (a full disk, an I/O error) the backend keeps what it accepted in memory, retries, and
 * refuses new registrations (`register` resolves `null`) until a flush succeeds. Logs the first
 * failure (error) and the recovery (warning, with how many registrations were refused).
 */
export class StorageHealth {
  readonly #logger: Logger;
  #failure: Error | null = null;
  #refused = 0;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** The error of the failed flush, until one succeeds; null while the storage is healthy. */
  get failure(): Error | null {
    return this.#failure;
  }

  /** True (and counted) when a registration must be refused now. */
  refuse(): boolean {
    if (this.#failure === null) return false;
    this.#refused++;
    return true;
  }

  /** Records a failed flush; returns `failure`. */
  failed<E extends Error>(failure: E, fields: Record<string, unknown> = {}): E {
    if (this.#failure === null) {
      this.#logger.error('storage failing: registrations refused until a flush succeeds', {
        error: failure.message,
        ...fields,
      });
    }
    this.#failure = failure;
    return failure;
  }

  /** Records a successful flush. */
  succeeded(): void {
    if (this.#failure === null) return;
    this.#logger.warn('storage recovered: registrations accepted again', {
      refused: this.#refused,
    });
    this.#failure = null;
    this.#refused = 0;
  }
}
