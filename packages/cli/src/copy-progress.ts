/** Where {@link CopyProgress} writes: `process.stderr`, or a fake in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Options of {@link CopyProgress}. */
export interface CopyProgressOptions {
  /** Clock in milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Shortest time between two redraws of the terminal bar (default 100 ms). */
  readonly redrawMs?: number;
}

const BAR_WIDTH = 30;

/**
 * Shows the progress of a copy. On a terminal: one bar line redrawn in place (`\r`) at most once
 * per `redrawMs`, always when complete, ended by {@link CopyProgress.end}. Elsewhere (a pipe, a
 * log file): one plain line each time another tenth of the records is done.
 */
export class CopyProgress {
  readonly #stream: ProgressStream;
  readonly #now: () => number;
  readonly #redrawMs: number;
  #done = 0;
  #total = 0;
  #drawnAt = -Infinity;
  #drawnDone = -1;
  #tenths = 0;

  constructor(stream: ProgressStream, options: CopyProgressOptions = {}) {
    this.#stream = stream;
    this.#now = options.now ?? Date.now;
    this.#redrawMs = options.redrawMs ?? 100;
  }

  /** Records done so far (the last value {@link update} received). */
  get done(): number {
    return this.#done;
  }

  /** `done` of `total` records are copied. */
  update(done: number, total: number): void {
    this.#done = done;
    this.#total = total;
    if (this.#stream.isTTY === true) this.#redraw(done >= total);
    else this.#logTenth();
  }

  /** Finishes the bar's line (on a terminal), so what follows starts on a line of its own. */
  end(): void {
    if (this.#stream.isTTY !== true || this.#drawnDone < 0) return;
    if (this.#drawnDone !== this.#done) this.#redraw(true);
    this.#stream.write('\n');
  }

  #redraw(force: boolean): void {
    const now = this.#now();
    if (!force && now - this.#drawnAt < this.#redrawMs) return;
    this.#drawnAt = now;
    this.#drawnDone = this.#done;
    this.#stream.write(`\r${progressBar(this.#done, this.#total)}`);
  }

  #logTenth(): void {
    const tenths = this.#total === 0 ? 10 : Math.floor((this.#done * 10) / this.#total);
    if (tenths <= this.#tenths) return;
    this.#tenths = tenths;
    this.#stream.write(`${progressLine(this.#done, this.#total)}\n`);
  }
}

/** `copying  [#######.....]  58%  1,234,567/2,100,000 records`. */
export function progressBar(done: number, total: number, width = BAR_WIDTH): string {
  const share = percent(done, total);
  const filled = Math.round((width * share) / 100);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
  return `copying  [${bar}]  ${`${share}%`.padStart(4)}  ${counts(done, total)}`;
}

/** `copying: 58%  1,234,567/2,100,000 records`. */
export function progressLine(done: number, total: number): string {
  return `copying: ${percent(done, total)}%  ${counts(done, total)}`;
}

function counts(done: number, total: number): string {
  return `${formatCount(done)}/${formatCount(total)} records`;
}

/** The percentage done, rounded down so that 100% means complete. */
function percent(done: number, total: number): number {
  return total === 0 ? 100 : Math.min(100, Math.floor((done * 100) / total));
}

/** `1234567` → `1,234,567`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
