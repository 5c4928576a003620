import type { Logger } from '@eventum/core';

/** A logger that counts the server's lines by level (and keeps nothing else). */
export class RecordingLogger implements Logger {
  readonly #counts: Record<string, number>;

  constructor(counts: Record<string, number> = {}) {
    this.#counts = counts;
  }

  debug(): void {
    this.#count('debug');
  }
  info(): void {
    this.#count('info');
  }
  warn(): void {
    this.#count('warn');
  }
  error(): void {
    this.#count('error');
  }
  child(): Logger {
    return new RecordingLogger(this.#counts);
  }

  counts(): Readonly<Record<string, number>> {
    return { ...this.#counts };
  }

  #count(level: string): void {
    this.#counts[level] = (this.#counts[level] ?? 0) + 1;
  }
}
