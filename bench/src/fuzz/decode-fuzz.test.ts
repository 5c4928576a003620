// The decoder fuzzer: a short seeded run (part of `npm test`), and the harness's own checks:
// inputs are reproducible from (seed, index), and a fault, a hang or a huge allocation is
// reported with the input that caused it. Set EVENTUM_FUZZ_SEED / EVENTUM_FUZZ_INPUTS to run
// another seed or more inputs; `npm run fuzz` is the long run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildCorpus } from './corpus.js';
import { formatFailure, runDecodeFuzz } from './decode-fuzz.js';
import { checkInput } from './decode-oracle.js';
import { Rng, makeInput, sbsInteger, toHex } from './mutate.js';
import { EXHAUSTS_HEAP_AT, HANGS_AT, THROWS_AT } from './testing/faulty-check.js';

const seed = Number(process.env.EVENTUM_FUZZ_SEED ?? 20_261_203);
const inputs = Number(process.env.EVENTUM_FUZZ_INPUTS ?? 50_000);
const faulty = new URL('./testing/faulty-check.js', import.meta.url).href;

describe('decoder fuzzer', () => {
  it(`decoders throw only ERR_PROTOCOL on ${inputs} mutated frames (seed ${seed})`, async (t) => {
    t.diagnostic(`seed ${seed}; replay one input: npm run fuzz -- --seed ${seed} --index <i>`);
    const report = await runDecodeFuzz({ seed, inputs });
    if (report.failure !== null) assert.fail(formatFailure(report.failure));
    assert.equal(report.checked, inputs);
    // Both outcomes are common: the mutations neither break everything nor nothing.
    assert.ok(report.accepted > inputs / 10, `only ${report.accepted} accepted`);
    assert.ok(report.rejected > inputs / 10, `only ${report.rejected} rejected`);
  });

  it('accepts every unmutated corpus entry, which covers every message kind', () => {
    const corpus = buildCorpus();
    for (const base of corpus) {
      const input = { index: 0, base, mutations: [], bytes: base.bytes, rng: new Rng(1) };
      assert.equal(checkInput(input).rejected, false, base.name);
    }
    const names = corpus.map((e) => e.name.split('/')[0]);
    for (const kind of ['MsgInitReq', 'MsgInitRes', 'MsgStatusNotify', 'MsgEventsNotify']) {
      assert.ok(names.includes(kind), kind);
    }
    for (const kind of ['MsgEventsAck', 'MsgRegisterReq', 'MsgRegisterRes', 'MsgQueryReq']) {
      assert.ok(names.includes(kind), kind);
    }
    assert.ok(names.includes('MsgQueryRes') && names.includes('HatChatter.Ping'));
  });

  it('makes input i from (seed, i) alone', () => {
    const corpus = buildCorpus();
    const a = makeInput(corpus, 7, 123);
    const b = makeInput(corpus, 7, 123);
    assert.deepEqual(toHex(a.bytes), toHex(b.bytes));
    assert.deepEqual(a.mutations, b.mutations);
    const others = [makeInput(corpus, 8, 123), makeInput(corpus, 7, 124)];
    assert.ok(others.some((o) => toHex(o.bytes) !== toHex(a.bytes)));
  });

  it('encodes SBS Integers as the spec does', () => {
    assert.equal(toHex(sbsInteger(0)), '80');
    assert.equal(toHex(sbsInteger(-1)), 'ff');
    assert.equal(toHex(sbsInteger(63)), 'bf');
    assert.equal(toHex(sbsInteger(64)), '00c0');
    assert.equal(toHex(sbsInteger(-65)), '7fbf');
  });

  it('reports an exception other than ERR_PROTOCOL with its seed, input and replay', async () => {
    const report = await runDecodeFuzz({
      seed: 5,
      inputs: 20,
      start: THROWS_AT - 10,
      checkModule: faulty,
    });
    assert.equal(report.failure?.kind, 'invariant');
    assert.equal(report.failure.index, THROWS_AT);
    assert.match(report.failure.message, /TypeError: planted fault/);
    assert.equal(report.failure.hex, toHex(makeInput(buildCorpus(), 5, THROWS_AT).bytes));
    assert.equal(report.checked, 10);
    assert.match(formatFailure(report.failure), /npm run fuzz -- --seed 5 --index 1000/);
  });

  it('reports an input that never returns', async () => {
    const start = HANGS_AT - 3;
    const report = await runDecodeFuzz({
      seed: 5,
      inputs: 10,
      start,
      checkModule: faulty,
      stallMs: 300,
    });
    assert.equal(report.failure?.kind, 'hang');
    assert.equal(report.failure.index, HANGS_AT);
  });

  it('reports an input that exhausts the heap', async () => {
    const start = EXHAUSTS_HEAP_AT - 3;
    const options = { seed: 5, inputs: 10, start, checkModule: faulty, maxHeapMb: 64 };
    const report = await runDecodeFuzz(options);
    assert.equal(report.failure?.kind, 'worker died');
    assert.equal(report.failure.index, EXHAUSTS_HEAP_AT);
  });
});
