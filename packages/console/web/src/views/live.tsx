import { useState } from 'preact/hooks';

import type { ApiEvent } from '../api.js';
import type { LiveSocket, Store } from '../live.js';
import { useStoreTick } from '../tick.js';
import { EventTable } from './event-table.js';
import { Inspector } from './inspector.js';
import { PatternInput } from './pattern-input.js';

/** Rows drawn at most: the buffer keeps more, the page draws only these. */
const SHOWN_ROWS = 300;

/** The live stream: a pattern filter (sent to the open socket), pause, and the inspector. */
export function LiveView({ store, socket }: { store: Store; socket: LiveSocket }) {
  useStoreTick(store);
  const [frozen, setFrozen] = useState<ApiEvent[] | null>(null);
  const [receivedAtPause, setReceivedAtPause] = useState(0);
  const [selected, setSelected] = useState<ApiEvent | null>(null);
  const rows = frozen ?? store.live.newest(SHOWN_ROWS).reverse();
  const togglePause = () => {
    if (frozen === null) {
      setFrozen(store.live.newest(SHOWN_ROWS).reverse());
      setReceivedAtPause(store.received);
    } else setFrozen(null);
  };
  return (
    <section>
      <div class="row">
        <PatternInput
          name="live-patterns"
          label="Types"
          initial="*"
          onApply={(patterns) => {
            store.live.clear();
            socket.setPatterns(patterns);
          }}
        />
        <button data-testid="pause" onClick={togglePause}>
          {frozen === null ? 'Pause' : 'Resume'}
        </button>
        <span class="muted" data-testid="received">
          {store.received} received
          {frozen !== null && `, ${store.received - receivedAtPause} since pause`}
          {socket.connected ? '' : ' (disconnected)'}
        </span>
      </div>
      <div class="split">
        <EventTable events={rows} onSelect={setSelected} testId="live-table" />
        {selected !== null && <Inspector event={selected} onClose={() => setSelected(null)} />}
      </div>
    </section>
  );
}
