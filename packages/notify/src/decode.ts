import type { BusEvent } from '@eventum/core';

import type { Catalogue } from './catalogue.js';
import type { Kind, NotificationData } from './kind.js';
import { parseSubject } from './routing.js';
import type { Decoded, Notification } from './subscription.js';
import { NotificationError, schemaProblems } from './validate.js';

/**
 * The receipt check: the subject must be `<prefix>.<id>.<origin>`, the envelope `type` a kind of
 * `catalogue` with that id, the payload's `origin` the subject's (no notification claims another
 * origin than it was routed by), and the payload valid against the kind's schema. With `only`,
 * notifications of other kinds (sharing its id) are skipped, not refused.
 */
export function decodeNotification(
  catalogue: Catalogue<Kind>,
  prefix: string,
  event: BusEvent,
  only: Kind | undefined,
): Decoded<Notification> {
  const route = parseSubject(prefix, event.topic);
  const kind = catalogue.byName(event.type);
  const refuse = (field: string, message: string): Decoded<Notification> => ({
    error: new NotificationError(event.type || '(none)', [{ field, message }]),
  });
  if (route === undefined) return refuse('', `subject ${event.topic} is not under ${prefix}`);
  if (only !== undefined && kind !== undefined && kind !== only && kind.id === only.id) {
    return { skip: true };
  }
  if (kind === undefined) return refuse('', `unknown kind ${JSON.stringify(event.type)}`);
  if (kind.id !== route.kindId)
    return refuse('', `kind id is ${kind.id}, subject says ${route.kindId}`);
  if (event.payload['origin'] !== route.origin) {
    return refuse('origin', `differs from the subject's origin ${route.origin}`);
  }
  const problems = schemaProblems(kind, event.payload);
  if (problems.length > 0) return { error: new NotificationError(kind.name, problems) };
  return { notification: toNotification(kind, route.origin, event) };
}

function toNotification(kind: Kind, origin: string, event: BusEvent): Notification {
  return {
    kind: kind.name,
    kindId: kind.id,
    id: event.id,
    topic: event.topic,
    origin,
    data: event.payload as unknown as NotificationData<Kind>,
    ...(event.delivery === undefined ? {} : { delivery: event.delivery }),
  };
}
