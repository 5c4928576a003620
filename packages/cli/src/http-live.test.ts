import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';

import { call, startHttpServer, typeText, WsProbe } from './http-testing.js';

type EventsMessage = { type: string; events: { type: string[] }[] };
const isEvents = (m: Record<string, unknown>): boolean => m['type'] === 'events';
const register = (base: string, ...types: string[]) =>
  call(base, 'POST', '/api/register', {
    events: types.map((type) => ({ type, payload: { data_type: 'json', data: 1 } })),
  });

/** Reads SSE frames (`event`, `data` or a comment) from a GET of `path`. */
function openSse(base: string, path: string): Promise<{ res: IncomingMessage; frames: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, (res) => {
      const frames: string[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          frames.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      });
      resolve({ res, frames });
    });
    req.once('error', reject);
    req.end();
  });
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('HTTP API live events', () => {
  it('sends a WebSocket the events its patterns select and changes them on the open socket', async (t) => {
    const { base } = await startHttpServer(t);
    const ws = await WsProbe.open(`${base.replace('http', 'ws')}/api/live?types=a/*`);
    t.after(() => ws.close());
    assert.deepEqual(await ws.next((m) => m['type'] === 'subscribed'), {
      type: 'subscribed',
      subscriptions: [['a', '*']],
      persisted: false,
    });
    await register(base, 'b/1', 'a/1');
    const first = (await ws.next(isEvents)) as EventsMessage;
    assert.deepEqual(first.events.map(typeText), ['a/1']);

    const mark = ws.received.length;
    ws.send({ subscriptions: ['b/*', ['c', '?']] });
    await ws.next((m) => m['type'] === 'subscribed', mark);
    await register(base, 'a/2', 'b/2', 'c/x');
    const second = (await ws.next(isEvents, mark)) as EventsMessage;
    assert.deepEqual(second.events.map(typeText), ['b/2', 'c/x']);

    // A bad filter is answered with an error frame; the socket and its filter stay.
    const before = ws.received.length;
    ws.send({ subscriptions: 'everything' });
    const error = await ws.next((m) => m['type'] === 'error', before);
    assert.equal((error['problem'] as { code: string }).code, 'ERR_INVALID_ARGUMENT');
    ws.send({ subscriptions: ['a/*'], persisted: true });
    await ws.next((m) => m['type'] === 'subscribed' && m['persisted'] === true, before);
    await register(base, 'a/3');
    const persisted = (await ws.next(isEvents, before)) as EventsMessage;
    assert.deepEqual(persisted.events.map(typeText), ['a/3']);

    const metrics = (await call(base, 'GET', '/metrics')).body as string;
    assert.match(metrics, /^eventum_connected_clients\{protocol="websocket"\} 1$/m);
  });

  it('streams SSE: a keep-alive, the latest values first, live events and keep-alive comments', async (t) => {
    const { base } = await startHttpServer(t, ['http_server: {keep_alive_interval: 0.05}']);
    await register(base, 's/old', 's/new', 'other/x');
    const { res, frames } = await openSse(base, '/api/stream?types=s/*');
    t.after(() => res.destroy());
    assert.match(res.headers['content-type'] ?? '', /^text\/event-stream/);
    await until(() => frames.some((f) => f.startsWith('event: snapshot')));
    assert.equal(frames[0], ': keep-alive');
    const snapshot = frames.find((f) => f.startsWith('event: snapshot'))!;
    const data = JSON.parse(snapshot.split('\ndata: ')[1]!) as EventsMessage;
    assert.deepEqual(data.events.map(typeText).sort(), ['s/new', 's/old']);

    await register(base, 'other/y', 's/live');
    await until(() => frames.some((f) => f.startsWith('event: events')));
    const live = frames.find((f) => f.startsWith('event: events'))!;
    assert.deepEqual(
      (JSON.parse(live.split('\ndata: ')[1]!) as EventsMessage).events.map(typeText),
      ['s/live'],
    );
    const keepAlives = () => frames.filter((f) => f === ': keep-alive').length;
    await until(() => keepAlives() >= 3);
  });

  it('disconnects a WebSocket that does not read and counts it as a slow consumer', async (t) => {
    const { base } = await startHttpServer(t, ['http_server: {max_send_queue_bytes: 65536}']);
    const ws = await WsProbe.open(`${base.replace('http', 'ws')}/api/live`);
    await ws.next((m) => m['type'] === 'subscribed');
    // Stop reading: the server's queue grows once the socket buffers are full.
    (ws.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = { data_type: 'json', data: 'x'.repeat(256 * 1024) };
    let closed: { code: number; reason: string } | null = null;
    void ws.closed.then((c) => (closed = c));
    for (let i = 0; i < 400 && closed === null; i++) {
      const metrics = (await call(base, 'GET', '/metrics')).body as string;
      if (/slow_consumer_disconnects_total\{protocol="websocket"\} 1/.test(metrics)) break;
      await call(base, 'POST', '/api/register', { events: [{ type: 'big', payload }] });
    }
    (ws.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    const end = await ws.closed;
    assert.equal(end.code, 4008);
    assert.equal(end.reason, 'slow consumer');
    const metrics = (await call(base, 'GET', '/metrics')).body as string;
    assert.match(metrics, /^eventum_slow_consumer_disconnects_total\{protocol="websocket"\} 1$/m);
    assert.match(metrics, /^eventum_connected_clients\{protocol="websocket"\} 0$/m);
  });

  it('drops SSE events for a stream that does not read, then sends a marker with their count', async (t) => {
    const { base } = await startHttpServer(t, ['http_server: {max_send_queue_bytes: 65536}']);
    const { res, frames } = await openSse(base, '/api/stream?types=big');
    t.after(() => res.destroy());
    await until(() => frames.some((f) => f.startsWith('event: snapshot')));
    res.pause();
    const payload = { data_type: 'json', data: 'x'.repeat(256 * 1024) };
    for (let i = 0; i < 400; i++) {
      const metrics = (await call(base, 'GET', '/metrics')).body as string;
      if (/^eventum_sse_dropped_events_total [1-9]/m.test(metrics)) break;
      await call(base, 'POST', '/api/register', { events: [{ type: 'big', payload }] });
    }
    res.resume();
    await until(() => frames.some((f) => f.startsWith('event: dropped')));
    const marker = frames.find((f) => f.startsWith('event: dropped'))!;
    const dropped = (JSON.parse(marker.split('\ndata: ')[1]!) as { dropped: number }).dropped;
    assert.ok(dropped >= 1);
    // Events registered after the stream caught up arrive again.
    const count = frames.length;
    await register(base, 'big');
    await until(() => frames.slice(count).some((f) => f.startsWith('event: events')));
  });
});
