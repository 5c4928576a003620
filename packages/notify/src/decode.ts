import type { BusEvent } from '@eventum/core';

import type { Catalogue } from './catalogue.js';
import type { Kind, NotificationData } from './kind.js';
import type { Route } from './routing.js';
import type { Decoded, Notification } from './subscription.js';
import { NotificationError, schemaProblems } from './validate.js';

/**
 * The receipt check: the subject must be `<prefix>.<id>.<origin>` (`route`, parsed from it by
 * `parseSubject`, or why it is not), the envelope `type` a kind of
 * `catalogue` with that id, the payload's `origin` the subject's (no notification claims another
 * origin than it was routed by), and the payload valid against the kind's schema (not checked
 * again when `validated`: the caller knows this process validated that very object). With
 * `only`, notifications of other kinds (sharing its id) are skipped, not refused.
 */
export function decodeNotification(
  catalogue: Catalogue<Kind>,
  route: Route | string,
  event: BusEvent,
  only: Kind | undefined,
  validated = false,
): Decoded<Notification> {
  const kind = catalogue.byName(event.type);
  const refuse = (field: string, message: string): Decoded<Notification> => ({
    error: new NotificationError(event.type || '(none)', [{ field, message }]),
  });
  if (typeof route === 'string') return refuse('', route);
  if (only !== undefined && kind !== undefined && kind !== only && kind.id === only.id) {
    return { skip: true };
  }
  if (kind === undefined) return refuse('', `unknown kind ${JSON.stringify(event.type)}`);
  if (kind.id !== route.kindId)
    return refuse('', `kind id is ${kind.id}, subject says ${route.kindId}`);
  if (event.payload['origin'] !== route.origin) {
    return refuse('origin', `differs from the subject's origin ${route.origin}`);
  }
  const problems = validated ? [] : schemaProblems(kind, event.payload);
  if (problems.length > 0) return { error: new NotificationError(kind.name, problems) };
  return { notification: toNotification(kind, route.origin, event) };
}

function toNotification(kind: Kind, origin: string, event: BusEvent): Notification {
  const data = event.payload as unknown as NotificationData<Kind>;
  const { id, topic, delivery } = event;
  // Two literals rather than spreading an optional part: no temporary object per notification.
  return delivery === undefined
    ? { kind: kind.name, kindId: kind.id, id, topic, origin, data }
    : { kind: kind.name, kindId: kind.id, id, topic, origin, data, delivery };
}
