import { useState } from 'preact/hooks';

import type { ApiEvent, Page } from '../api.js';
import { api, parsePatterns } from '../api.js';
import { EventTable } from './event-table.js';
import { Inspector } from './inspector.js';

/** A history browser: a timeseries query, one page at a time, with the pages' `next` bodies. */
export function HistoryView() {
  const [types, setTypes] = useState('*');
  const [order, setOrder] = useState('descending');
  const [size, setSize] = useState(50);
  const [page, setPage] = useState<Page | null>(null);
  const [number, setNumber] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ApiEvent | null>(null);
  const load = async (body: Record<string, unknown>, n: number) => {
    try {
      setPage(await api.query(body));
      setNumber(n);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const first = (e: Event) => {
    e.preventDefault();
    void load(
      { type: 'timeseries', event_types: parsePatterns(types), order, max_results: size },
      1,
    );
  };
  return (
    <section>
      <form class="row" onSubmit={first}>
        <label>
          Types{' '}
          <input
            name="history-patterns"
            value={types}
            onInput={(e) => setTypes(e.currentTarget.value)}
          />
        </label>
        <select value={order} onChange={(e) => setOrder(e.currentTarget.value)}>
          <option value="descending">newest first</option>
          <option value="ascending">oldest first</option>
        </select>
        <label>
          page size{' '}
          <input
            type="number"
            min={1}
            max={10000}
            value={size}
            onInput={(e) => setSize(Number(e.currentTarget.value))}
          />
        </label>
        <button type="submit">Query</button>
        {page?.next != null && (
          <button
            type="button"
            data-testid="next-page"
            onClick={() => void load(page.next!, number + 1)}
          >
            Next page
          </button>
        )}
        {page !== null && <span class="muted">page {number}</span>}
      </form>
      {error !== null && <p class="error">{error}</p>}
      {page !== null && (
        <div class="split">
          <EventTable events={page.events} onSelect={setSelected} testId="history-table" />
          {selected !== null && <Inspector event={selected} onClose={() => setSelected(null)} />}
        </div>
      )}
    </section>
  );
}
