import { useEffect, useState } from 'preact/hooks';

import type { ApiEvent } from '../api.js';
import { api } from '../api.js';
import type { Store } from '../live.js';
import { useStoreTick } from '../tick.js';
import { EventTable } from './event-table.js';
import { Inspector } from './inspector.js';
import { PatternInput } from './pattern-input.js';

/** Rows drawn at most, by type name. */
const SHOWN_ROWS = 1000;

/** The latest value of every selected type: queried once, then kept current by live events. */
export function LatestView({ store, onPatterns }: { store: Store; onPatterns: () => void }) {
  useStoreTick(store);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ApiEvent | null>(null);
  const load = async (patterns: string[]) => {
    store.latestPatterns = patterns;
    onPatterns();
    try {
      const page = await api.query({ type: 'latest', event_types: patterns });
      store.latest.clear();
      for (const event of page.events) store.latest.set(event.type.join('/'), event);
      store.version++;
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => void load(store.latestPatterns), []);
  const rows = [...store.latest.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .slice(0, SHOWN_ROWS)
    .map(([, event]) => event);
  return (
    <section>
      <PatternInput
        name="latest-patterns"
        label="Types"
        initial={store.latestPatterns.join(', ')}
        onApply={(p) => void load(p)}
      />
      {error !== null && <p class="error">{error}</p>}
      <p class="muted">{store.latest.size} types</p>
      <div class="split">
        <EventTable events={rows} onSelect={setSelected} testId="latest-table" />
        {selected !== null && <Inspector event={selected} onClose={() => setSelected(null)} />}
      </div>
    </section>
  );
}
