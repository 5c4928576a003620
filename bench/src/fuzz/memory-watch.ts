/**
 * Samples the process's ArrayBuffer memory (where the server keeps bytes read and bytes waiting
 * to be sent) while a run goes, and keeps the highest growth over the start.
 */
export class MemoryWatch {
  readonly #baseline = process.memoryUsage().arrayBuffers;
  readonly #timer: NodeJS.Timeout;
  #peak = 0;

  constructor(intervalMs = 20) {
    this.#timer = setInterval(() => this.#sample(), intervalMs);
  }

  /** Stops sampling; returns the highest growth seen, in MiB. */
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    return Math.round(this.#peak / 2 ** 20);
  }

  #sample(): void {
    this.#peak = Math.max(this.#peak, process.memoryUsage().arrayBuffers - this.#baseline);
  }
}
