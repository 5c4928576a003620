import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SpanIndex, parseSpanName } from './span-index.js';

const names = (spans: readonly { name: string }[]) => spans.map((s) => s.name);

describe('textlog span index', () => {
  it('parses span names, negative ones too, and ignores anything else', () => {
    assert.deepEqual(parseSpanName('60-120'), { start: 60, end: 120, name: '60-120' });
    assert.deepEqual(parseSpanName('-120--60'), { start: -120, end: -60, name: '-120--60' });
    for (const other of ['10-70x', 'state.json', '.tmp-60-120-ab', '70-10']) {
      assert.equal(parseSpanName(other), null);
    }
  });

  it('aligns new spans to the span length', () => {
    const index = new SpanIndex([], 60);
    assert.equal(index.spanFor(125).name, '120-180');
    assert.equal(index.spanFor(-1).name, '-60-0');
    assert.equal(index.spanFor(179).name, '120-180');
    assert.deepEqual(names(index.all), ['-60-0', '120-180']);
  });

  it('clips new spans against spans made with another length', () => {
    const index = new SpanIndex([parseSpanName('0-60')!, parseSpanName('100-160')!], 120);
    assert.equal(index.spanFor(70).name, '60-100');
    assert.equal(index.spanFor(200).name, '160-240');
  });

  it('finds the spans of a range by binary search, with open ends', () => {
    const spans = ['10-20', '20-26', '30-40'].map((n) => parseSpanName(n)!);
    const index = new SpanIndex(spans, 10);
    assert.deepEqual(names(index.find(15, 33)), ['10-20', '20-26', '30-40']);
    assert.deepEqual(names(index.find(27, null)), ['30-40']);
    assert.deepEqual(names(index.find(null, 10)), ['10-20']);
    assert.deepEqual(names(index.find(26, 29)), []);
    assert.deepEqual(names(index.find(1000, 2000)), []);
    assert.deepEqual(names(index.find(null, null)), ['10-20', '20-26', '30-40']);
  });
});
