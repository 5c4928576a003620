import type { Event, EventId, QueryParams, QueryResult, Timestamp } from '@eventum/core';

import { apiEventType } from './api-json.js';

/** A query as the API receives it (validated against `queryBodySchema`). */
export type ApiQuery =
  | { readonly type: 'latest'; readonly event_types?: ApiTypes }
  | {
      readonly type: 'timeseries';
      readonly event_types?: ApiTypes;
      readonly t_from?: Timestamp | null;
      readonly t_to?: Timestamp | null;
      readonly source_t_from?: Timestamp | null;
      readonly source_t_to?: Timestamp | null;
      readonly order?: 'descending' | 'ascending';
      readonly order_by?: 'timestamp' | 'source_timestamp';
      readonly max_results?: number;
      readonly last_event_id?: EventId | null;
    }
  | {
      readonly type: 'server';
      readonly server_id: number;
      readonly persisted?: boolean;
      readonly max_results?: number;
      readonly last_event_id?: EventId | null;
    };

type ApiTypes = readonly (readonly string[] | string)[] | null;

/** The backend's query parameters of an API query. */
export function queryParamsFromApi(query: ApiQuery): QueryParams {
  switch (query.type) {
    case 'latest':
      return { type: 'latest', eventTypes: types(query.event_types) };
    case 'timeseries':
      return {
        type: 'timeseries',
        eventTypes: types(query.event_types),
        tFrom: query.t_from ?? null,
        tTo: query.t_to ?? null,
        sourceTFrom: query.source_t_from ?? null,
        sourceTTo: query.source_t_to ?? null,
        order: query.order ?? 'descending',
        orderBy: query.order_by === 'source_timestamp' ? 'sourceTimestamp' : 'timestamp',
        maxResults: query.max_results ?? null,
        lastEventId: query.last_event_id ?? null,
      };
    case 'server':
      return {
        type: 'server',
        serverId: query.server_id,
        persisted: query.persisted ?? false,
        maxResults: query.max_results ?? null,
        lastEventId: query.last_event_id ?? null,
      };
  }
}

function types(given: ApiTypes | undefined): string[][] | null {
  if (given === undefined || given === null) return null;
  return given.map((t, i) => [...apiEventType(t, `/event_types/${i}`)]);
}

/**
 * The body that asks for the page after `result`, or null when none follows (and for latest,
 * which is never paged). Like `queryPages` of the client, it pages on the last event's id and
 * narrows the time bound to that event's ordering key, so the backend seeks instead of
 * rescanning.
 */
export function nextPage(query: ApiQuery, result: QueryResult): ApiQuery | null {
  const last: Event | undefined = result.events[result.events.length - 1];
  if (!result.moreFollows || last === undefined || query.type === 'latest') return null;
  if (query.type === 'server') return { ...query, last_event_id: last.id };
  const bySource = query.order_by === 'source_timestamp';
  const key = bySource ? last.sourceTimestamp : last.timestamp;
  const descending = (query.order ?? 'descending') === 'descending';
  const bound = bySource
    ? descending
      ? 'source_t_to'
      : 'source_t_from'
    : descending
      ? 't_to'
      : 't_from';
  return { ...query, last_event_id: last.id, ...(key === null ? {} : { [bound]: key }) };
}
