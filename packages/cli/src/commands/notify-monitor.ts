import { createInterface } from 'node:readline';

import { isEventumError } from '@eventum/core';
import { createEventMonitor } from '@eventum/notify';
import type { EventMonitor, Notifier } from '@eventum/notify';

type Request = Record<string, unknown>;

/**
 * `eventum notify monitor`: the event monitor behind a line protocol (until the HTTP API serves
 * it): one JSON request per stdin line, one JSON answer per stdout line, in order. A malformed
 * request is answered with `{ ok: false, error, code }` and the monitor goes on. Ends at the end
 * of stdin or on SIGINT/SIGTERM.
 */
export async function runMonitor(notifier: Notifier): Promise<number> {
  await using monitor = createEventMonitor(notifier);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const stop = (): void => lines.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    process.stderr.write('event monitor ready\n');
    for await (const line of lines) {
      if (line.trim() === '') continue;
      process.stdout.write(`${JSON.stringify(await answer(monitor, line))}\n`);
    }
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

async function answer(monitor: EventMonitor, line: string): Promise<Request> {
  let request: Request;
  try {
    const parsed = JSON.parse(line) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return refusal('request must be a JSON object');
    }
    request = parsed as Request;
  } catch (error) {
    return refusal(`request is not JSON: ${(error as Error).message}`);
  }
  try {
    return { ok: true, ...(await dispatch(monitor, request)) };
  } catch (error) {
    const code = isEventumError(error) ? error.code : 'ERR_INVALID_ARGUMENT';
    return { ok: false, error: (error as Error).message, code };
  }
}

async function dispatch(monitor: EventMonitor, request: Request): Promise<Request> {
  const session = text(request, 'session', true) as string;
  switch (request['op']) {
    case 'subscribe':
      return { session, subscriptionId: await subscribe(monitor, session, request) };
    case 'getData':
      return { session, data: getData(monitor, session, request) };
    case 'unsubscribe': {
      const id = text(request, 'subscriptionId', false);
      return { session, removed: await monitor.unsubscribe(session, id) };
    }
    default:
      throw new Error(
        `op must be subscribe, getData or unsubscribe, got ${JSON.stringify(request['op'])}`,
      );
  }
}

function subscribe(monitor: EventMonitor, session: string, request: Request): Promise<string> {
  const kind = request['kind'];
  if (kind !== undefined && typeof kind !== 'string' && typeof kind !== 'number') {
    throw new Error('kind must be a name or an id');
  }
  const origin = text(request, 'origin', false);
  return monitor.subscribe(session, {
    ...(kind === undefined ? {} : { kind }),
    ...(origin === undefined ? {} : { origin }),
  });
}

function getData(monitor: EventMonitor, session: string, request: Request) {
  const since = request['since'];
  if (since !== undefined && typeof since !== 'number') throw new Error('since must be a number');
  const ids = request['subscriptionIds'];
  if (ids !== undefined && !(Array.isArray(ids) && ids.every((i) => typeof i === 'string'))) {
    throw new Error('subscriptionIds must be a list of strings');
  }
  return monitor.getData(session, {
    ...(since === undefined ? {} : { since }),
    ...(ids === undefined ? {} : { subscriptionIds: ids }),
  });
}

function text(request: Request, name: string, required: boolean): string | undefined {
  const value = request[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new Error(`${name} must be a non-empty string`);
  return value;
}

function refusal(error: string): Request {
  return { ok: false, error, code: 'ERR_INVALID_ARGUMENT' };
}
