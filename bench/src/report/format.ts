/** Number formatting shared by the tables and the chart. */
import type { BenchRecord } from './record.js';

/** `1.23 M`, `44.2 k`, `950`: three significant digits. */
export function humanRate(n: number): string {
  // Round first, so 999,950 reads `1.00 M` rather than `1.00e+3 k`.
  const rounded = Number(n.toPrecision(3));
  if (rounded >= 1e6) return `${(rounded / 1e6).toPrecision(3)} M`;
  if (rounded >= 1e3) return `${(rounded / 1e3).toPrecision(3)} k`;
  return rounded >= 100 ? rounded.toFixed(0) : n.toPrecision(3);
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

/** The ratio cell; empty when there is nothing to compare with. */
export function ratio(
  reference: BenchRecord | undefined,
  row: BenchRecord,
  by: 'rate' | 'p50',
): string {
  if (reference === undefined || row.skipped !== undefined) return '';
  if (row === reference) return '1×';
  if (by === 'rate')
    return row.opsPerSec > 0 ? humanRatio(reference.opsPerSec / row.opsPerSec) : '';
  const mine = reference.latencyMs?.p50;
  const theirs = row.latencyMs?.p50;
  return mine !== undefined && theirs !== undefined && mine > 0 ? humanRatio(theirs / mine) : '';
}
