import { invalidArgument } from '../errors.js';
import type { EventId } from '../model/event-id.js';
import type {
  QueryLatestParams,
  QueryParams,
  QueryResult,
  QueryServerParams,
  QueryTimeseriesParams,
} from '../model/query.js';
import {
  readEventId,
  readEventTypes,
  readEvents,
  readOptionalTimestamp,
  readOrder,
  readOrderBy,
  writeEventId,
  writeEventTypes,
  writeEvents,
  writeOptionalTimestamp,
  writeOrder,
  writeOrderBy,
} from './eventer-model.js';
import { resultEncoding } from './encodings.js';
import type { SbsReader } from './sbs-reader.js';
import type { SbsWriter } from './sbs-writer.js';

/*
 * SBS codecs for `HatEventer.QueryParams` and `HatEventer.QueryResult` (hat-event.md §1.10).
 * Writers apply Hat's defaults to absent fields; readers return every field explicitly.
 */

const QUERY_LATEST = 0;
const QUERY_TIMESERIES = 1;
const QUERY_SERVER = 2;

/** Decoded latest-query parameters: every field present. */
export type DecodedQueryLatestParams = Required<QueryLatestParams>;
/** Decoded timeseries-query parameters: every field present. */
export type DecodedQueryTimeseriesParams = Required<QueryTimeseriesParams>;
/** Decoded server-query parameters: every field present. */
export type DecodedQueryServerParams = Required<QueryServerParams>;
export type DecodedQueryParams =
  DecodedQueryLatestParams | DecodedQueryTimeseriesParams | DecodedQueryServerParams;

function writeOptionalEventTypes(w: SbsWriter, types: QueryLatestParams['eventTypes']): void {
  if (types == null) {
    w.writeChoice(0);
  } else {
    w.writeChoice(1);
    writeEventTypes(w, types);
  }
}

function writeOptionalInteger(w: SbsWriter, n: number | null | undefined): void {
  if (n == null) {
    w.writeChoice(0);
  } else {
    w.writeChoice(1);
    w.writeInteger(n);
  }
}

function writeOptionalEventId(w: SbsWriter, id: EventId | null | undefined): void {
  if (id == null) {
    w.writeChoice(0);
  } else {
    w.writeChoice(1);
    writeEventId(w, id);
  }
}

/** `QueryParams = Choice { latest, timeseries, server }`. */
export function writeQueryParams(w: SbsWriter, params: QueryParams): void {
  switch (params.type) {
    case 'latest':
      w.writeChoice(QUERY_LATEST);
      writeOptionalEventTypes(w, params.eventTypes);
      return;
    case 'timeseries':
      w.writeChoice(QUERY_TIMESERIES);
      writeTimeseriesParams(w, params);
      return;
    case 'server':
      w.writeChoice(QUERY_SERVER);
      w.writeInteger(params.serverId);
      w.writeBoolean(params.persisted ?? false);
      writeOptionalInteger(w, params.maxResults);
      writeOptionalEventId(w, params.lastEventId);
      return;
    default:
      throw invalidArgument(`HatEventer.QueryParams: unknown type ${JSON.stringify(params)}`);
  }
}

function writeTimeseriesParams(w: SbsWriter, params: QueryTimeseriesParams): void {
  writeOptionalEventTypes(w, params.eventTypes);
  writeOptionalTimestamp(w, params.tFrom);
  writeOptionalTimestamp(w, params.tTo);
  writeOptionalTimestamp(w, params.sourceTFrom);
  writeOptionalTimestamp(w, params.sourceTTo);
  writeOrder(w, params.order ?? 'descending');
  writeOrderBy(w, params.orderBy ?? 'timestamp');
  writeOptionalInteger(w, params.maxResults);
  writeOptionalEventId(w, params.lastEventId);
}

function readOptionalEventTypes(
  r: SbsReader,
  field: string,
): DecodedQueryLatestParams['eventTypes'] {
  return r.readChoice(2, field) === 1 ? readEventTypes(r, field) : null;
}

/** `Optional(Integer)` for `maxResults`; values beyond the safe range are clamped to it. */
function readMaxResults(r: SbsReader, field: string): number | null {
  if (r.readChoice(2, field) === 0) return null;
  const n = r.readIntegerSaturating(field);
  return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
}

function readOptionalEventId(r: SbsReader, field: string): EventId | null {
  return r.readChoice(2, field) === 1 ? readEventId(r) : null;
}

export function readQueryParams(r: SbsReader): DecodedQueryParams {
  switch (r.readChoice(3, 'HatEventer.QueryParams')) {
    case QUERY_LATEST:
      return {
        type: 'latest',
        eventTypes: readOptionalEventTypes(r, 'HatEventer.QueryLatestParams.eventTypes'),
      };
    case QUERY_TIMESERIES:
      return readTimeseriesParams(r);
    default:
      return readServerParams(r);
  }
}

function readTimeseriesParams(r: SbsReader): DecodedQueryTimeseriesParams {
  const f = 'HatEventer.QueryTimeseriesParams';
  return {
    type: 'timeseries',
    eventTypes: readOptionalEventTypes(r, `${f}.eventTypes`),
    tFrom: readOptionalTimestamp(r, `${f}.tFrom`),
    tTo: readOptionalTimestamp(r, `${f}.tTo`),
    sourceTFrom: readOptionalTimestamp(r, `${f}.sourceTFrom`),
    sourceTTo: readOptionalTimestamp(r, `${f}.sourceTTo`),
    order: readOrder(r),
    orderBy: readOrderBy(r),
    maxResults: readMaxResults(r, `${f}.maxResults`),
    lastEventId: readOptionalEventId(r, `${f}.lastEventId`),
  };
}

function readServerParams(r: SbsReader): DecodedQueryServerParams {
  const f = 'HatEventer.QueryServerParams';
  return {
    type: 'server',
    serverId: r.readInteger(`${f}.serverId`),
    persisted: r.readBoolean(`${f}.persisted`),
    maxResults: readMaxResults(r, `${f}.maxResults`),
    lastEventId: readOptionalEventId(r, `${f}.lastEventId`),
  };
}

/** `QueryResult = Record { events: Array(Event), moreFollows: Boolean }`. */
export function writeQueryResult(w: SbsWriter, result: QueryResult): void {
  const encoded = resultEncoding(result);
  if (encoded === undefined) {
    writeEvents(w, result.events);
  } else {
    w.writeInteger(encoded.ends.length);
    w.writeRaw(encoded.bytes);
  }
  w.writeBoolean(result.moreFollows);
}

export function readQueryResult(r: SbsReader): QueryResult {
  const events = readEvents(r, 'HatEventer.QueryResult.events');
  const moreFollows = r.readBoolean('HatEventer.QueryResult.moreFollows');
  return { events, moreFollows };
}
