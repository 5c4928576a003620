import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

import type { ApiEvent, Page } from '../api.js';
import { api, parsePatterns } from '../api.js';
import { EventTable } from './event-table.js';
import { Inspector } from './inspector.js';

interface Query {
  types: string;
  order: string;
  size: number;
}

/** A history browser: a timeseries query, one page at a time, with the pages' `next` bodies. */
export function HistoryView() {
  const [query, setQuery] = useState<Query>({ types: '*', order: 'descending', size: 50 });
  const [page, setPage] = useState<{ page: Page; number: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ApiEvent | null>(null);
  const load = async (body: Record<string, unknown>, number: number) => {
    try {
      setPage({ page: await api.query(body), number });
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const first = () =>
    void load(
      {
        type: 'timeseries',
        event_types: parsePatterns(query.types),
        order: query.order,
        max_results: query.size,
      },
      1,
    );
  const next = page?.page.next;
  return (
    <section>
      <QueryForm query={query} onChange={setQuery} onSubmit={first}>
        {next != null && (
          <button
            type="button"
            data-testid="next-page"
            onClick={() => void load(next, page!.number + 1)}
          >
            Next page
          </button>
        )}
        {page !== null && <span class="muted">page {page.number}</span>}
      </QueryForm>
      {error !== null && <p class="error">{error}</p>}
      {page !== null && (
        <div class="split">
          <EventTable events={page.page.events} onSelect={setSelected} testId="history-table" />
          {selected !== null && <Inspector event={selected} onClose={() => setSelected(null)} />}
        </div>
      )}
    </section>
  );
}

function QueryForm({
  query,
  onChange,
  onSubmit,
  children,
}: {
  query: Query;
  onChange: (query: Query) => void;
  onSubmit: () => void;
  children: ComponentChildren;
}) {
  return (
    <form
      class="row"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <label>
        Types{' '}
        <input
          name="history-patterns"
          value={query.types}
          onInput={(e) => onChange({ ...query, types: e.currentTarget.value })}
        />
      </label>
      <select
        value={query.order}
        onChange={(e) => onChange({ ...query, order: e.currentTarget.value })}
      >
        <option value="descending">newest first</option>
        <option value="ascending">oldest first</option>
      </select>
      <label>
        page size{' '}
        <input
          type="number"
          min={1}
          max={10000}
          value={query.size}
          onInput={(e) => onChange({ ...query, size: Number(e.currentTarget.value) })}
        />
      </label>
      <button type="submit">Query</button>
      {children}
    </form>
  );
}
