import type { BusEvent } from '@eventum/core';

import type { Catalogue } from './catalogue.js';
import type { Kind, NotificationData } from './kind.js';
import type { Route } from './routing.js';
import type { Decoded, Notification } from './subscription.js';
import { payloadCheck } from './compile-check.js';
import { NotificationError, schemaProblems } from './validate.js';

/**
 * The receipt check: the subject must be `<prefix>.<id>.<origin>` (`route`, parsed from it by
 * `parseSubject`, or why it is not), the envelope `type` a kind of
 * `catalogue` with that id, the payload's `origin` the subject's (no notification claims another
 * origin than it was routed by), and the payload valid against the kind's schema (its compiled
 * check, compile-check.ts; ajv names the problems of a payload it does not pass). Returns the
 * notification, or the error refusing it; with `only`, notifications of other kinds (sharing its
 * id) are skipped (`undefined`), not refused.
 */
export function decodeNotification(
  catalogue: Catalogue<Kind>,
  route: Route | string,
  event: BusEvent,
  only: Kind | undefined,
): Decoded<Notification> {
  const kind = catalogue.byName(event.type);
  if (typeof route === 'string') return refuse(event, '', route);
  if (only !== undefined && kind !== undefined && kind !== only && kind.id === only.id) {
    return undefined;
  }
  if (kind === undefined) return refuse(event, '', `unknown kind ${JSON.stringify(event.type)}`);
  if (kind.id !== route.kindId) {
    return refuse(event, '', `kind id is ${kind.id}, subject says ${route.kindId}`);
  }
  if (event.payload['origin'] !== route.origin) {
    return refuse(event, 'origin', `differs from the subject's origin ${route.origin}`);
  }
  if (!payloadCheck(kind)(event.payload)) {
    const problems = schemaProblems(kind, event.payload);
    if (problems.length > 0) return new NotificationError(kind.name, problems);
  }
  return toNotification(kind, route.origin, event);
}

function refuse(event: BusEvent, field: string, message: string): NotificationError {
  return new NotificationError(event.type || '(none)', [{ field, message }]);
}

function toNotification(kind: Kind, origin: string, event: BusEvent): Notification {
  const data = event.payload as unknown as NotificationData<Kind>;
  const { id, topic, delivery } = event;
  // Two literals rather than spreading an optional part: no temporary object per notification.
  return delivery === undefined
    ? { kind: kind.name, kindId: kind.id, id, topic, origin, data }
    : { kind: kind.name, kindId: kind.id, id, topic, origin, data, delivery };
}
