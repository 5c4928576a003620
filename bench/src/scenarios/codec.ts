/**
 * SBS codec: encode and decode of `HatEventer.Event` with a ~100-byte JSON payload, the unit of
 * every notification, register response and LMDB value. Each op is one event.
 * - `codec/encode-event`: `encodeEvent` one at a time.
 * - `codec/encode-events-notify`: a 1,000-event `MsgEventsNotify` body (ops = events).
 * - `codec/decode-event` and `codec/decode-events-notify`: the inverse.
 * Run: `npm run bench -- codec`.
 */
import { decodeEvent, decodeEventerMsg, encodeEvent, encodeEventerMsg } from '@eventum/core';
import type { Event } from '@eventum/core';

import { measureRounds } from '../harness.js';
import type { Scenario } from '../scenario.js';
import { storedEvent, workloadEvents } from '../workload.js';

/** Events as the benchmarks store them: the workload's, with ids and timestamps. */
export function sampleEvents(count: number): Event[] {
  return workloadEvents(0, count).map((event, i) =>
    storedEvent(
      event,
      { server: 1, session: 1000 + Math.floor(i / 1000), instance: (i % 1000) + 1 },
      { s: 1_700_000_000 + Math.floor(i / 1000), us: 123_456 },
    ),
  );
}

export const codecScenario: Scenario = {
  name: 'codec',
  async run({ quick, report }) {
    const events = sampleEvents(1000);
    const payloadBytes = JSON.stringify(
      events[0]?.payload?.type === 'json' && events[0].payload.data,
    ).length;
    const params = { payloadBytes };
    const ops = quick ? 10_000 : 1_000_000;
    const rounds = quick ? 2 : 7;
    const encoded = events.map((e) => encodeEvent(e));
    const encode = await measureRounds(
      () => {
        for (let i = 0; i < ops; i++) encodeEvent(events[i % 1000]!);
      },
      { ops, rounds },
    );
    report({ scenario: 'codec/encode-event', params, ...encode, rounds });
    const decode = await measureRounds(
      () => {
        for (let i = 0; i < ops; i++) decodeEvent(encoded[i % 1000]!);
      },
      { ops, rounds },
    );
    report({ scenario: 'codec/decode-event', params, ...decode, rounds });
    const batches = ops / 1000;
    const body = encodeEventerMsg({ type: 'HatEventer.MsgEventsNotify', data: events });
    const notify = await measureRounds(
      () => {
        for (let i = 0; i < batches; i++)
          encodeEventerMsg({ type: 'HatEventer.MsgEventsNotify', data: events });
      },
      { ops, rounds },
    );
    report({
      scenario: 'codec/encode-events-notify',
      params: { ...params, batch: 1000 },
      ...notify,
      rounds,
    });
    const notifyDecode = await measureRounds(
      () => {
        for (let i = 0; i < batches; i++) decodeEventerMsg('HatEventer.MsgEventsNotify', body);
      },
      { ops, rounds },
    );
    report({
      scenario: 'codec/decode-events-notify',
      params: { ...params, batch: 1000 },
      ...notifyDecode,
      rounds,
    });
  },
};
