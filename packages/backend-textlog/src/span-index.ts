import type { SpanStats } from './span-stats.js';

/** A span file: events whose `timestamp.s` is in `[start, end)`, named `<start>-<end>`. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

const SPAN_NAME = /^(-?\d+)-(-?\d+)$/;

/** The span named `name`, or `null` for any other file name (temp files, the state file). */
export function parseSpanName(name: string): Span | null {
  const m = SPAN_NAME.exec(name);
  if (m === null) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  return Number.isSafeInteger(start) && Number.isSafeInteger(end) && start < end
    ? { start, end, name }
    : null;
}

/**
 * The index of span files, sorted by start; spans never overlap, so ends are sorted too and
 * every lookup is a binary search. New spans are aligned to multiples of `span` seconds and
 * clipped so they do not overlap spans made with another `span` setting.
 */
export class SpanIndex {
  readonly #spans: Span[];
  readonly #span: number;
  /**
   * Stats of every span by name (shared with the state file); a span without an entry is
   * unknown and must be read. Covers unflushed events too.
   */
  readonly stats: Map<string, SpanStats>;

  constructor(spans: Iterable<Span>, span: number, stats = new Map<string, SpanStats>()) {
    this.#spans = [...spans].sort((a, b) => a.start - b.start);
    this.#span = span;
    this.stats = stats;
  }

  /** All spans, oldest first. */
  get all(): readonly Span[] {
    return this.#spans;
  }

  /** The span holding second `s`, created (in the index only) when there is none. */
  spanFor(s: number): Span {
    const i = this.#firstEndingAfter(s);
    const next = this.#spans[i];
    if (next !== undefined && next.start <= s) return next;
    const previous = this.#spans[i - 1];
    const aligned = Math.floor(s / this.#span) * this.#span;
    const start = Math.max(aligned, previous?.end ?? aligned);
    const end = Math.min(aligned + this.#span, next?.start ?? Infinity);
    const created = { start, end, name: `${start}-${end}` };
    this.#spans.splice(i, 0, created);
    return created;
  }

  /** Spans that may hold seconds in `[from, to]`, oldest first; `null` bounds are open. */
  find(from: number | null, to: number | null): Span[] {
    const found: Span[] = [];
    for (let i = from === null ? 0 : this.#firstEndingAfter(from); i < this.#spans.length; i++) {
      const span = this.#spans[i]!;
      if (to !== null && span.start > to) break;
      found.push(span);
    }
    return found;
  }

  /** Index of the first span whose end is after `s` (the length when none). */
  #firstEndingAfter(s: number): number {
    let lo = 0;
    let hi = this.#spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#spans[mid]!.end > s) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
