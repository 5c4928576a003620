import type { ApiEvent } from '../api.js';
import { timeText, typeText } from '../api.js';

/** The whole event as JSON, binary payloads decoded to hex for reading. */
export function Inspector({ event, onClose }: { event: ApiEvent; onClose: () => void }) {
  const payload = event.payload;
  const hex =
    payload?.data_type === 'binary'
      ? Array.from(atob(payload.data), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(
          ' ',
        )
      : null;
  return (
    <aside class="inspector" data-testid="inspector">
      <div class="row">
        <strong>{typeText(event)}</strong>
        <span class="muted">{timeText(event.timestamp)}</span>
        <button onClick={onClose}>close</button>
      </div>
      <pre>{JSON.stringify(event, null, 2)}</pre>
      {hex !== null && <pre class="hex">{hex}</pre>}
    </aside>
  );
}
