import { eventToJson } from '@eventum/core';
import type { QueryResult } from '@eventum/core';

/**
 * The JSON shape `hat-event-manager` prints, so scripts written for it read eventum's output:
 * snake_case fields, binary data as hex. The same shape is the payload of bridged bus events.
 */
export { eventToJson };

export function queryResultToJson(result: QueryResult): Record<string, unknown> {
  return { events: result.events.map(eventToJson), more_follows: result.moreFollows };
}
