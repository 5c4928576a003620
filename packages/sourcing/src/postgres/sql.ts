import { ORDINAL_BITS } from './schema.js';
import type { TableNames } from './schema.js';

/**
 * A notification id is `xid8 << 16 | ordinal`: the writing transaction's id, then the event's
 * place in the insert. Ids ascend in transaction-id order, and readers stop below the oldest
 * transaction still running (`pg_snapshot_xmin`), so a lower id can never appear after a reader
 * passed it — without any lock shared by writers.
 */
const NEW_ID = `(pg_current_xact_id()::text::bigint << ${ORDINAL_BITS}) + e.ordinal`;
const FENCE = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << ${ORDINAL_BITS})`;
const COLUMNS = 'originator_id, originator_version, topic, event_id, state';

/** The statements of one application's recorders. */
export interface Statements {
  readonly insert: string;
  readonly insertTracked: string;
  readonly insertSnapshots: string;
  readonly selectEvents: (table: string, desc: boolean) => string;
  readonly selectNotifications: string;
  readonly selectNotificationsByTopic: string;
  readonly maxNotificationId: string;
  readonly findEventIds: string;
  readonly maxTrackingId: string;
  readonly hasTrackingId: string;
}

export function statements(t: TableNames): Statements {
  // Streams have no gaps: $6/$7 name each originator's version before its first in the batch;
  // when one is not stored nothing is written and the missing one is returned instead of ids.
  const missing = `missing AS (SELECT p.originator_id FROM unnest($6::text[], $7::bigint[])
      AS p(originator_id, originator_version)
    WHERE NOT EXISTS (SELECT 1 FROM ${t.events} x
      WHERE x.originator_id = p.originator_id AND x.originator_version = p.originator_version)
    LIMIT 1)`;
  const insertEvents = `ins AS (INSERT INTO ${t.events} (notification_id, ${COLUMNS})
    SELECT ${NEW_ID}, ${COLUMNS}
    FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bytea[])
      WITH ORDINALITY AS e(${COLUMNS}, ordinal)
    WHERE NOT EXISTS (SELECT 1 FROM missing)
    RETURNING notification_id)`;
  const result = `SELECT id, gap FROM (
      SELECT notification_id AS n, notification_id::text AS id, NULL AS gap FROM ins
      UNION ALL SELECT NULL, NULL, originator_id FROM missing) r ORDER BY n`;
  const tracking = `tr AS (INSERT INTO ${t.tracking} (application_name, notification_id)
    SELECT $8, $9 WHERE NOT EXISTS (SELECT 1 FROM missing))`;
  const select = `SELECT notification_id::text AS id, ${COLUMNS} FROM ${t.events}
    WHERE notification_id >= $1 AND notification_id <= $2 AND notification_id < ${FENCE}`;
  return {
    insert: `WITH ${missing}, ${insertEvents} ${result}`,
    insertTracked: `WITH ${missing}, ${tracking}, ${insertEvents} ${result}`,
    insertSnapshots: `INSERT INTO ${t.snapshots} (${COLUMNS})
      SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bytea[])`,
    selectEvents: (table, desc) => `SELECT ${COLUMNS} FROM ${table}
      WHERE originator_id = $1 AND originator_version > $2 AND originator_version <= $3
      ORDER BY originator_version ${desc ? 'DESC' : 'ASC'} LIMIT $4`,
    selectNotifications: `${select} ORDER BY notification_id LIMIT $3`,
    selectNotificationsByTopic: `${select} AND topic = ANY($4) ORDER BY notification_id LIMIT $3`,
    maxNotificationId: `SELECT coalesce(max(notification_id), 0)::text AS id FROM ${t.events} WHERE notification_id < ${FENCE}`,
    findEventIds: `SELECT notification_id::text AS id, originator_id, originator_version, event_id
      FROM ${t.events} WHERE event_id = ANY($1)`,
    maxTrackingId: `SELECT coalesce(max(notification_id), 0)::text AS id FROM ${t.tracking} WHERE application_name = $1`,
    hasTrackingId: `SELECT 1 FROM ${t.tracking} WHERE application_name = $1 AND notification_id = $2`,
  };
}
