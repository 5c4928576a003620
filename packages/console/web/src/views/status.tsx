import { useEffect, useState } from 'preact/hooks';

import type { ServerStatus } from '../api.js';
import { api } from '../api.js';

/** Throughput samples kept for the sparkline (one a second). */
const SAMPLES = 60;

function Sparkline({ values }: { values: readonly number[] }) {
  const max = Math.max(1, ...values);
  const x = (i: number) => ((i + SAMPLES - values.length) / (SAMPLES - 1)) * 300;
  const points = values.map((v, i) => `${x(i)},${40 - (v / max) * 38}`).join(' ');
  return (
    <svg
      width="300"
      height="40"
      class="sparkline"
      data-testid="sparkline"
      data-samples={values.length}
    >
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

/** Polls `/api/status` every second; registrations per second from consecutive answers. */
function useStatus(): { status: ServerStatus | null; rates: number[]; error: string | null } {
  const [status, setStatus] = useState<ServerStatus | null>(null);
  const [rates, setRates] = useState<number[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let last: { count: number; at: number } | null = null;
    const poll = async () => {
      try {
        const next = await api.status();
        const at = performance.now();
        if (last !== null) {
          const rate = ((next.events_registered - last.count) * 1000) / (at - last.at);
          setRates((r) => [...r, rate].slice(-SAMPLES));
        }
        last = { count: next.events_registered, at };
        setStatus(next);
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    return () => clearInterval(timer);
  }, []);
  return { status, rates, error };
}

/** Server status, connected clients and registrations per second. */
export function StatusView() {
  const { status, rates, error } = useStatus();
  if (status === null) return <section>{error ?? 'loading…'}</section>;
  return (
    <section>
      {error !== null && <p class="error">{error}</p>}
      <dl class="status" data-testid="status">
        <dt>server</dt>
        <dd>
          {status.name} (id {status.server_id})
        </dd>
        <dt>status</dt>
        <dd class={status.status}>{status.status}</dd>
        <dt>uptime</dt>
        <dd>{Math.round(status.uptime_s)} s</dd>
        <dt>events registered</dt>
        <dd>{status.events_registered}</dd>
        <dt>throughput</dt>
        <dd>
          <Sparkline values={rates} /> {Math.round(rates.at(-1) ?? 0)} events/s
        </dd>
      </dl>
      <Clients clients={status.clients} />
    </section>
  );
}

function Clients({ clients }: { clients: ServerStatus['clients'] }) {
  return (
    <>
      <h2>Clients ({clients.length})</h2>
      <table>
        <thead>
          <tr>
            <th>protocol</th>
            <th>name</th>
          </tr>
        </thead>
        <tbody>
          {clients.map((c, i) => (
            <tr key={i}>
              <td>{c.protocol}</td>
              <td>{c.name}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
