import type { Event, QueryParams, QueryResult, RegisterEvent, Status } from '@eventum/core';

import type { Source } from '../source.js';
import type { LiveHub } from './live-hub.js';
import type { HostStats, Metrics } from './metrics.js';

/** A connected client as `/api/status` lists it. */
export interface ClientInfo {
  readonly protocol: string;
  readonly name: string;
}

/** What the HTTP gateway asks of the server it belongs to. */
export interface GatewayHost {
  readonly name: string;
  readonly serverId: number;
  readonly status: Status;
  /** Registers through the engine; null when the session failed. */
  register(source: Source, events: readonly RegisterEvent[]): Promise<readonly Event[] | null>;
  query(params: QueryParams): Promise<QueryResult>;
  /** Resolves once everything registered so far is stored durably. */
  flush(): Promise<void>;
  /** The eventer clients. */
  clients(): Iterable<ClientInfo>;
  stats(): HostStats;
}

/**
 * The event monitor the API serves at `/api/notify/monitor` (docs/notify.md): `@eventum/notify`'s
 * `EventMonitor`, as the gateway sees it (the server does not depend on the notify package).
 */
export interface MonitorPort {
  /** Resolves with the subscription id once the bus registered it. */
  subscribe(
    sessionId: string,
    filter: { readonly kind?: string | number; readonly origin?: string },
  ): Promise<string>;
  /** Resolves with how many subscriptions ended (all of the session's without an id). */
  unsubscribe(sessionId: string, subscriptionId?: string): Promise<number>;
  /** Per subscription: its pattern, its notifications since `since` or the last poll, drops. */
  getData(
    sessionId: string,
    options: { readonly since?: number; readonly subscriptionIds?: readonly string[] },
  ): readonly unknown[];
  readonly subscriptionCount: number;
}

/** Shared by the gateway's route modules. */
export interface GatewayContext {
  readonly host: GatewayHost;
  readonly metrics: Metrics;
  readonly hub: LiveHub;
  readonly startedMs: number;
  /** The event monitor, when the server has a bus. */
  readonly monitor: MonitorPort | undefined;
  /** A fresh `Source(http, n)` for one request or socket. */
  nextSource(): Source;
  liveClients(): ClientInfo[];
  renderMetrics(): string;
  /** Logs a failure a client caused (rate-limited). */
  logFailure(kind: string, error: Error): void;
}
