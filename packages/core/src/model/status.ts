/** Server status as announced to eventer clients (SBS choice index = declaration order). */
export const Status = {
  Standby: 'standby',
  Starting: 'starting',
  Operational: 'operational',
  Stopping: 'stopping',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** Result order of timeseries queries. */
export const Order = {
  Descending: 'descending',
  Ascending: 'ascending',
} as const;
export type Order = (typeof Order)[keyof typeof Order];

/** Which timestamp orders a timeseries query. */
export const OrderBy = {
  Timestamp: 'timestamp',
  SourceTimestamp: 'sourceTimestamp',
} as const;
export type OrderBy = (typeof OrderBy)[keyof typeof OrderBy];
