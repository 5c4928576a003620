/**
 * The targets of the comparison scenarios, in report order: eventum on each backend, then its
 * peers. Peers read their service's address from the same variables as the tests.
 */
import { attachEventumTarget, startEventumTarget } from './eventum.js';
import { attachEventumHttpTarget, startEventumHttpTarget } from './eventum-http.js';
import { openLmdbRawTarget } from './lmdb-raw.js';
import { openNatsTarget } from './nats.js';
import { openPostgresTarget } from './postgres.js';
import type { Target } from './target.js';

export const natsUrl = (): string =>
  process.env['EVENTUM_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
export { pgUrl } from './pg-url.js';
import { pgUrl } from './pg-url.js';

export interface TargetSpec {
  readonly name: string;
  open(): Promise<Target>;
}

export const comparisonTargets: readonly TargetSpec[] = [
  { name: 'eventum-lmdb', open: () => startEventumTarget('lmdb') },
  { name: 'eventum-lmdb-http', open: startEventumHttpTarget },
  { name: 'eventum-lmdb-tls', open: () => startEventumTarget('lmdb', { tls: true }) },
  { name: 'eventum-textlog', open: () => startEventumTarget('textlog') },
  { name: 'eventum-postgres', open: () => startEventumTarget('postgres') },
  { name: 'eventum-memory', open: () => startEventumTarget('memory') },
  { name: 'lmdb-raw', open: openLmdbRawTarget },
  { name: 'nats-jetstream', open: () => openNatsTarget({ url: natsUrl(), create: true }) },
  { name: 'postgres', open: () => openPostgresTarget({ url: pgUrl(), create: true }) },
];

/** How a subscriber process reaches a target another process opened. */
export type AttachSpec =
  | { readonly kind: 'eventum'; readonly port: number }
  | { readonly kind: 'eventum-ws'; readonly httpPort: number }
  | { readonly kind: 'nats'; readonly url: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** Targets with push delivery, for the fan-out scenario: the owner and how to attach to it. */
export interface FanoutSpec {
  readonly name: string;
  open(): Promise<{ readonly target: Target; readonly attach: AttachSpec }>;
}

/** eventum on LMDB, JetStream and PostgreSQL, each opened by this process with the spec for
 * another process to attach to it; `postgresNotify` adds the NOTIFY trigger push delivery needs. */
export function ownedTargets({ postgresNotify }: { postgresNotify: boolean }): FanoutSpec[] {
  return [
    {
      name: 'eventum-lmdb',
      async open() {
        const target = await startEventumTarget('lmdb');
        return { target, attach: { kind: 'eventum', port: target.port } };
      },
    },
    {
      name: 'nats-jetstream',
      async open() {
        const url = natsUrl();
        const target = await openNatsTarget({ url, create: true });
        return { target, attach: { kind: 'nats', url } };
      },
    },
    {
      name: 'postgres',
      async open() {
        const url = pgUrl();
        const target = await openPostgresTarget({ url, create: true, notify: postgresNotify });
        return { target, attach: { kind: 'postgres', url } };
      },
    },
  ];
}

const [lmdbOwned, ...peersOwned] = ownedTargets({ postgresNotify: true });

export const fanoutTargets: readonly FanoutSpec[] = [
  lmdbOwned!,
  {
    // Published over the eventer protocol like the row above; only the delivery differs.
    name: 'eventum-lmdb-ws',
    async open() {
      const target = await startEventumTarget('lmdb', { name: 'eventum-lmdb-ws' });
      return { target, attach: { kind: 'eventum-ws', httpPort: target.httpPort } };
    },
  },
  ...peersOwned,
];

export function attachTarget(spec: AttachSpec): Promise<Target> {
  switch (spec.kind) {
    case 'eventum':
      return attachEventumTarget('eventum-lmdb', spec.port);
    case 'eventum-ws':
      return Promise.resolve(attachEventumHttpTarget('eventum-lmdb-ws', spec.httpPort));
    case 'nats':
      return openNatsTarget({ url: spec.url, create: false });
    case 'postgres':
      return openPostgresTarget({ url: spec.url, create: false });
  }
}
