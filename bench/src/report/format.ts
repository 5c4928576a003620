/** Number formatting shared by the table and the chart. */

/** `1.23 M`, `44.2 k`, `950`: three significant digits. */
export function humanRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} M`;
  if (n >= 1e3) return `${(n / 1e3).toPrecision(3)} k`;
  return n >= 100 ? n.toFixed(0) : n.toPrecision(3);
}

/** Latency: microseconds below 0.1 ms, else milliseconds. */
export function humanMs(ms: number): string {
  if (ms < 0.1) return `${(ms * 1000).toFixed(0)} µs`;
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}

/** `2.10×`. */
export function humanRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}
