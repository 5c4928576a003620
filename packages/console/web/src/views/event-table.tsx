import type { ApiEvent } from '../api.js';
import { payloadText, timeText, typeText } from '../api.js';

/** Rows of events; a click selects one for the inspector. */
export function EventTable({
  events,
  onSelect,
  testId,
}: {
  events: readonly ApiEvent[];
  onSelect?: (event: ApiEvent) => void;
  testId: string;
}) {
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th>time</th>
          <th>type</th>
          <th>id</th>
          <th>payload</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={`${e.id.server}.${e.id.session}.${e.id.instance}`} onClick={() => onSelect?.(e)}>
            <td class="time">{timeText(e.timestamp)}</td>
            <td class="type">{typeText(e)}</td>
            <td class="muted">{`${e.id.server}/${e.id.session}/${e.id.instance}`}</td>
            <td class="payload">{payloadText(e.payload).slice(0, 200)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
