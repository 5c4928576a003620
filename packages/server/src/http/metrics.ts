import type { Event } from '@eventum/core';

type MetricWriter = (
  name: string,
  type: 'counter' | 'gauge',
  help: string,
  samples: [string, number][],
) => void;

/** Upper bounds (seconds) of the flush-delay histogram's buckets. */
const FLUSH_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] as const;

/** What the server reports about the parts the gateway does not own. */
export interface HostStats {
  readonly eventerClients: number;
  readonly eventerQueries: number;
  readonly eventerSendQueueBytes: number;
  readonly eventerSlowConsumers: number;
  readonly registerQueueLength: number;
}

/** What the gateway reports about its own subscribers. */
export interface LiveStats {
  readonly websocketClients: number;
  readonly sseClients: number;
  readonly websocketSendQueueBytes: number;
  readonly sseSendQueueBytes: number;
  readonly websocketSlowConsumers: number;
  readonly sseDropped: number;
}

/**
 * The counters behind `/metrics`. Flush times are measured from each event's timestamp (when
 * the engine registered it) to the backend's flush notification, so they include the time an
 * event waited for the next flush, which is what a client waiting for durability sees.
 */
export class Metrics {
  eventsRegistered = 0;
  eventsPersisted = 0;
  flushes = 0;
  httpQueries = 0;
  httpRegistrations = 0;
  readonly #flushBuckets = FLUSH_BUCKETS.map(() => 0);
  #flushCount = 0;
  #flushSum = 0;

  onRegistered(events: readonly Event[]): void {
    this.eventsRegistered += events.length;
  }

  onPersisted(events: readonly Event[], nowMs: number): void {
    this.flushes += 1;
    this.eventsPersisted += events.length;
    // One sample per notification: its first event, the one that waited longest.
    const first = events[0];
    if (first === undefined) return;
    const delay = Math.max(0, nowMs / 1000 - (first.timestamp.s + first.timestamp.us / 1e6));
    this.#flushCount += 1;
    this.#flushSum += delay;
    FLUSH_BUCKETS.forEach((bound, i) => {
      if (delay <= bound) this.#flushBuckets[i]! += 1;
    });
  }

  /** The Prometheus text exposition (version 0.0.4). */
  render(host: HostStats, live: LiveStats): string {
    const lines: string[] = [];
    const metric: MetricWriter = (name, type, help, samples) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    this.#renderCounters(metric, host, live);
    renderGauges(metric, host, live);
    this.#renderFlush(lines);
    return `${lines.join('\n')}\n`;
  }

  #renderCounters(metric: MetricWriter, host: HostStats, live: LiveStats): void {
    metric('eventum_events_registered_total', 'counter', 'Events registered.', [
      ['', this.eventsRegistered],
    ]);
    metric('eventum_events_persisted_total', 'counter', 'Events flushed to storage.', [
      ['', this.eventsPersisted],
    ]);
    metric('eventum_queries_total', 'counter', 'Queries answered.', [
      ['{protocol="eventer"}', host.eventerQueries],
      ['{protocol="http"}', this.httpQueries],
    ]);
    metric('eventum_http_registrations_total', 'counter', 'Register requests over HTTP.', [
      ['', this.httpRegistrations],
    ]);
    metric('eventum_slow_consumer_disconnects_total', 'counter', 'Slow clients disconnected.', [
      ['{protocol="eventer"}', host.eventerSlowConsumers],
      ['{protocol="websocket"}', live.websocketSlowConsumers],
    ]);
    metric('eventum_sse_dropped_events_total', 'counter', 'Events dropped for slow SSE streams.', [
      ['', live.sseDropped],
    ]);
  }

  #renderFlush(lines: string[]): void {
    const name = 'eventum_flush_delay_seconds';
    lines.push(`# HELP ${name} Time from registration to the flush that stored the events.`);
    lines.push(`# TYPE ${name} histogram`);
    FLUSH_BUCKETS.forEach((bound, i) => {
      lines.push(`${name}_bucket{le="${bound}"} ${this.#flushBuckets[i]}`);
    });
    lines.push(`${name}_bucket{le="+Inf"} ${this.#flushCount}`);
    lines.push(`${name}_sum ${this.#flushSum}`, `${name}_count ${this.#flushCount}`);
  }
}

function renderGauges(metric: MetricWriter, host: HostStats, live: LiveStats): void {
  metric('eventum_connected_clients', 'gauge', 'Connected clients.', [
    ['{protocol="eventer"}', host.eventerClients],
    ['{protocol="websocket"}', live.websocketClients],
    ['{protocol="sse"}', live.sseClients],
  ]);
  metric('eventum_register_queue_depth', 'gauge', 'Registrations waiting for the engine.', [
    ['', host.registerQueueLength],
  ]);
  metric('eventum_send_queue_bytes', 'gauge', 'Bytes waiting to be sent to clients.', [
    ['{protocol="eventer"}', host.eventerSendQueueBytes],
    ['{protocol="websocket"}', live.websocketSendQueueBytes],
    ['{protocol="sse"}', live.sseSendQueueBytes],
  ]);
}
