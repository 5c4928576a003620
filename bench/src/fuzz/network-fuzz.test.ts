// The network fuzzer: a short seeded run against a live server (part of `npm test`), and the
// checks it applies to each connection. Set EVENTUM_FUZZ_SEED / EVENTUM_FUZZ_CONNECTIONS to run
// another seed or more connections; `npm run fuzz` is the long run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ClosedError, DEFAULT_MAX_FRAME_SIZE, ProtocolError } from '@eventum/core';

import { concat } from './corpus.js';
import { toHex } from './mutate.js';
import { formatNetworkFailure, judge, runNetworkFuzz } from './network-fuzz.js';
import { planConnection } from './network-plan.js';
import type { ConnectionPlan } from './network-plan.js';

const seed = Number(process.env.EVENTUM_FUZZ_SEED ?? 20_261_203);
const connections = Number(process.env.EVENTUM_FUZZ_CONNECTIONS ?? 400);

describe('network fuzzer', () => {
  it(`a live server survives ${connections} bad connections (seed ${seed})`, async (t) => {
    t.diagnostic(
      `seed ${seed}; replay one: npm run fuzz -- --network-only --seed ${seed} --index <i>`,
    );
    const report = await runNetworkFuzz({ seed, connections });
    assert.deepEqual(report.failures.map(formatNetworkFailure), []);
    assert.ok((report.closes.ERR_PROTOCOL ?? 0) > 0, JSON.stringify(report.closes));
    assert.ok((report.closes.orderly ?? 0) > 0, JSON.stringify(report.closes));
    assert.ok(report.probeRounds > 1, `${report.probeRounds} probe rounds`);
  });

  it('a live server on LMDB survives them too, and everything stored reads back', async () => {
    const report = await runNetworkFuzz({ seed, connections: connections / 4, backend: 'lmdb' });
    assert.deepEqual(report.failures.map(formatNetworkFailure), []);
    assert.ok((report.closes.ERR_PROTOCOL ?? 0) > 0, JSON.stringify(report.closes));
  });

  it('draws connection i from (seed, i) alone, every kind among the first hundred', () => {
    const plans = Array.from({ length: 100 }, (_, i) =>
      planConnection(3, i, DEFAULT_MAX_FRAME_SIZE),
    );
    const again = planConnection(3, 42, DEFAULT_MAX_FRAME_SIZE);
    assert.equal(toHex(concat(again.chunks)), toHex(concat(plans[42]!.chunks)));
    const kinds = new Set(plans.map((p) => p.kind));
    assert.deepEqual([...kinds].sort(), [
      'half-frame',
      'mutated',
      'no-reader',
      'oversized',
      'random',
      'trickle',
    ]);
  });

  it('judges how the server closed a connection', () => {
    const plan = (overrides: Partial<ConnectionPlan>): ConnectionPlan => ({
      ...planConnection(3, 0, DEFAULT_MAX_FRAME_SIZE),
      ending: 'end',
      expectProtocolError: false,
      ...overrides,
    });
    const protocol = new ProtocolError('frame: invalid length size m = 0 (expected 1..8)');
    const reset = new ClosedError('socket error', { cause: new Error('ECONNRESET') });
    assert.equal(judge(plan({}), null, false), null);
    assert.equal(judge(plan({ expectProtocolError: true }), protocol, true), null);
    assert.equal(judge(plan({ ending: 'destroy' }), reset, false), null);
    assert.match(judge(plan({}), undefined, false) ?? '', /never closed/);
    assert.match(judge(plan({}), new TypeError('x'), true) ?? '', /TypeError: x, not ERR_PROTOCOL/);
    assert.match(judge(plan({}), reset, true) ?? '', /ERR_CLOSED/);
    assert.match(judge(plan({ expectProtocolError: true }), null, true) ?? '', /orderly close/);
  });
});
