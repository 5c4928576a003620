import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { call, OpenApiChecker, startHttpServer, typeText, WsProbe } from './http-testing.js';

type Events = { events: { type: string[]; id: { session: number }; payload: unknown }[] };
type Page = Events & { more_follows: boolean; next: Record<string, unknown> | null };

describe('HTTP API', () => {
  it('registers, answers in the documented shapes and pages through timeseries and server queries', async (t) => {
    const { base } = await startHttpServer(t);
    const api = await OpenApiChecker.load(base);
    const registered = await call(base, 'POST', '/api/register', {
      events: [
        { type: 'plant/t1', payload: { data_type: 'json', data: { value: 1.5 } } },
        {
          type: ['plant', 'raw'],
          payload: { data_type: 'binary', binary_type: 'frame', data: 'AAEC/w==' },
        },
        { type: 'plant/none', source_timestamp: { s: 100, us: 5 } },
      ],
    });
    api.check('POST', '/api/register', registered);
    assert.equal(registered.status, 200);
    const events = (registered.body as Events).events;
    assert.deepEqual(events.map(typeText), ['plant/t1', 'plant/raw', 'plant/none']);
    assert.deepEqual(events[1]!.payload, {
      data_type: 'binary',
      binary_type: 'frame',
      data: 'AAEC/w==',
    });

    for (let i = 0; i < 5; i++) {
      const answer = await call(base, 'POST', '/api/register?wait=none', {
        events: [{ type: `series/${i}`, payload: { data_type: 'json', data: i } }],
      });
      assert.equal(answer.status, 202);
    }
    // Pages of two, each asking with the `next` body of the previous one.
    const seen: string[] = [];
    let body: Record<string, unknown> | null = {
      type: 'timeseries',
      event_types: ['series/*'],
      order: 'ascending',
      max_results: 2,
    };
    let pages = 0;
    while (body !== null) {
      const page = await call(base, 'POST', '/api/query', body);
      api.check('POST', '/api/query', page);
      seen.push(...(page.body as Page).events.map(typeText));
      body = (page.body as Page).next;
      pages += 1;
    }
    assert.deepEqual(seen, ['series/0', 'series/1', 'series/2', 'series/3', 'series/4']);
    assert.ok(pages >= 3);

    const all: number[] = [];
    body = { type: 'server', server_id: 1, max_results: 3 };
    while (body !== null) {
      const page = await call(base, 'POST', '/api/query', body);
      all.push(...(page.body as Page).events.map((e) => e.id.session));
      body = (page.body as Page).next;
    }
    assert.deepEqual(
      all,
      [...all].sort((a, b) => a - b),
    );
    assert.ok(all.length >= 9, `server query returned ${all.length} events`);

    const latest = await call(base, 'GET', '/api/latest?types=plant/*&types=series/4');
    api.check('GET', '/api/latest', latest);
    assert.deepEqual((latest.body as Page).events.map(typeText).sort(), [
      'plant/none',
      'plant/raw',
      'plant/t1',
      'series/4',
    ]);
  });

  it('answers bad requests with RFC 9457 problems carrying ERR_* codes', async (t) => {
    const { base } = await startHttpServer(t, ['http_server: {max_body_bytes: 4096}']);
    const api = await OpenApiChecker.load(base);
    const cases: [string, string, unknown, number, string, RegExp][] = [
      ['POST', '/api/register', { events: [] }, 400, 'ERR_INVALID_ARGUMENT', /events/],
      [
        'POST',
        '/api/register',
        { events: [{ type: 'a', colour: 1 }] },
        400,
        'ERR_INVALID_ARGUMENT',
        /additional/,
      ],
      [
        'POST',
        '/api/register',
        { events: [{ type: 'a', payload: { data_type: 'binary', data: 'not base64!' } }] },
        400,
        'ERR_INVALID_ARGUMENT',
        /\/events\/0\/payload\/data: binary data must be base64/,
      ],
      ['POST', '/api/register', '{"events": [', 400, 'ERR_INVALID_ARGUMENT', /JSON/],
      ['POST', '/api/query', { type: 'server' }, 400, 'ERR_INVALID_ARGUMENT', /server_id/],
      ['POST', '/api/query', { type: 'sideways' }, 400, 'ERR_INVALID_ARGUMENT', /type/],
      ['GET', '/api/nothing', undefined, 404, 'ERR_NOT_FOUND', /no route GET \/api\/nothing/],
      [
        'POST',
        '/api/register',
        { events: [{ type: 'big', payload: { data_type: 'json', data: 'x'.repeat(5000) } }] },
        413,
        'ERR_INVALID_ARGUMENT',
        /too large/i,
      ],
    ];
    for (const [method, path, body, status, code, detail] of cases) {
      const answer = await call(base, method, path, body);
      assert.equal(answer.status, status, `${method} ${path}: ${JSON.stringify(answer.body)}`);
      assert.match(answer.type, /^application\/problem\+json/);
      const problem = answer.body as {
        code: string;
        detail: string;
        status: number;
        title: string;
      };
      assert.equal(problem.code, code);
      assert.equal(problem.status, status);
      assert.match(problem.detail, detail);
      if (path !== '/api/nothing') api.check(method, path, answer);
    }
    const text = await call(base, 'POST', '/api/query', '<x/>', {
      'content-type': 'application/xml',
    });
    assert.equal(text.status, 415);
    assert.equal((text.body as { code: string }).code, 'ERR_UNSUPPORTED');
  });

  it('reports status, health, readiness and Prometheus metrics', async (t) => {
    const { base } = await startHttpServer(t);
    const api = await OpenApiChecker.load(base);
    await call(base, 'POST', '/api/register', { events: [{ type: 'm/a' }, { type: 'm/b' }] });
    await call(base, 'POST', '/api/query', { type: 'latest' });
    const status = await call(base, 'GET', '/api/status');
    api.check('GET', '/api/status', status);
    const body = status.body as { status: string; server_id: number; events_registered: number };
    assert.equal(body.status, 'operational');
    assert.equal(body.server_id, 1);
    // STARTED, then the two registered.
    assert.ok(body.events_registered >= 3);
    assert.equal((await call(base, 'GET', '/healthz')).status, 200);
    assert.deepEqual((await call(base, 'GET', '/readyz')).body, {
      ready: true,
      status: 'operational',
    });
    const metrics = await call(base, 'GET', '/metrics');
    assert.match(metrics.type, /^text\/plain; version=0\.0\.4/);
    const text = metrics.body as string;
    for (const line of [
      /^eventum_events_registered_total [3-9]\d*$/m,
      /^eventum_queries_total\{protocol="http"\} 1$/m,
      /^eventum_connected_clients\{protocol="websocket"\} 0$/m,
      /^eventum_register_queue_depth 0$/m,
      /^eventum_send_queue_bytes\{protocol="eventer"\} 0$/m,
      /^eventum_slow_consumer_disconnects_total\{protocol="websocket"\} 0$/m,
      /^eventum_flush_delay_seconds_count \d+$/m,
      /^# TYPE eventum_flush_delay_seconds histogram$/m,
    ]) {
      assert.match(text, line);
    }
  });
});

describe('HTTP API refusals', () => {
  it('answers a failed session with 422 and caps live subscribers', async (t) => {
    const { base } = await startHttpServer(t, [
      'modules: [{module: ./refuser.js}]',
      'http_server: {max_subscribers: 1}',
    ]);
    const failed = await call(base, 'POST', '/api/register', { events: [{ type: 'refuse/me' }] });
    assert.equal(failed.status, 422);
    assert.equal((failed.body as { code: string }).code, 'ERR_REFUSED');
    const fine = await call(base, 'POST', '/api/register', { events: [{ type: 'accept/me' }] });
    assert.equal(fine.status, 200);

    const first = await WsProbe.open(`${base.replace('http', 'ws')}/api/live`);
    t.after(() => first.close());
    await first.next((m) => m['type'] === 'subscribed');
    const second = await WsProbe.open(`${base.replace('http', 'ws')}/api/live`);
    assert.equal((await second.closed).code, 1013);
    const sse = await call(base, 'GET', '/api/stream');
    assert.equal(sse.status, 503);
    assert.equal((sse.body as { code: string }).code, 'ERR_CLOSED');
  });
});
