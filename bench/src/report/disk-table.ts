/**
 * The `disk-per-event` rows: what each store takes on disk per stored event, in a table of its
 * own and as one summary row. Smaller is better, so the ratio is the target's size over
 * eventum-lmdb's (above 1× means eventum stores the events in fewer bytes).
 */
import { humanRatio } from './format.js';
import { REFERENCE_TARGET } from './record.js';
import type { BenchRecord } from './record.js';

export const DISK_SCENARIO = 'disk-per-event';

const bytesPerEvent = (row: BenchRecord): number | undefined => {
  const value = row.extra?.['bytesPerEvent'];
  return typeof value === 'number' ? value : undefined;
};

/** `2.45×`, or `''` when either side has no figure. */
function diskRatio(reference: BenchRecord | undefined, row: BenchRecord): string {
  if (reference === undefined || row === reference) return row === reference ? '1×' : '';
  const mine = bytesPerEvent(reference);
  const theirs = bytesPerEvent(row);
  return mine !== undefined && theirs !== undefined && mine > 0 ? humanRatio(theirs / mine) : '';
}

const referenceOf = (rows: readonly BenchRecord[]) =>
  rows.find((r) => r.target === REFERENCE_TARGET && r.skipped === undefined);

/** The summary row's cells, one per target (`—` where the target has no row). */
export function diskSummaryRow(run: readonly BenchRecord[], targets: readonly string[]): string {
  const rows = run.filter((r) => r.scenario === DISK_SCENARIO);
  if (rows.length === 0) return '';
  const reference = referenceOf(rows);
  const cells = targets.map((target) => {
    const row = rows.find((r) => r.target === target);
    const bytes = row === undefined ? undefined : bytesPerEvent(row);
    if (row === undefined || bytes === undefined) return row?.skipped ? 'skipped' : '—';
    const versus = row === reference ? '' : ` (${diskRatio(reference, row)})`;
    return `${bytes} B${versus}`;
  });
  return `| bytes on disk per stored event | ${cells.join(' | ')} |`;
}

export function diskTable(rows: readonly BenchRecord[]): string[] {
  const reference = referenceOf(rows);
  const out = [
    '## Bytes on disk per stored event',
    '',
    'After the comparison scenarios, each store holding the same events (~100-byte JSON',
    'payloads): its files (LMDB file, textlog directory), its tables with their indexes',
    '(PostgreSQL, no WAL) or its stream (JetStream), over the events stored. Ratio: the',
    `target's size over ${REFERENCE_TARGET}'s: above 1× means eventum takes less.`,
    '',
    '| target | stored events | on disk | per event | ratio |',
    '|---|---|---|---|---|',
  ];
  for (const row of rows) {
    if (row.skipped !== undefined) {
      out.push(`| ${row.target} | skipped | | | |`);
      continue;
    }
    const x = row.extra ?? {};
    const mib = typeof x['bytes'] === 'number' ? (x['bytes'] / 2 ** 20).toFixed(1) : '—';
    out.push(
      `| ${row.target} | ${Number(x['storedEvents']).toLocaleString('en-US')} | ${mib} MiB | ${String(bytesPerEvent(row))} B | ${diskRatio(reference, row)} |`,
    );
  }
  return out;
}
