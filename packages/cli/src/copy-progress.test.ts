import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CopyProgress } from './copy-progress.js';

describe('CopyProgress', () => {
  it('redraws the bar on a terminal at most every 100 ms, always when complete', () => {
    const written: string[] = [];
    let now = 0;
    const progress = new CopyProgress(
      { isTTY: true, write: (text: string) => written.push(text) },
      { now: () => now },
    );
    progress.update(10_000, 2_100_000);
    now = 50;
    progress.update(20_000, 2_100_000);
    now = 150;
    progress.update(1_234_567, 2_100_000);
    now = 160;
    progress.update(2_100_000, 2_100_000);
    progress.end();
    assert.deepEqual(written, [
      `\rcopying  [${'.'.repeat(30)}]    0%  10,000/2,100,000 records`,
      `\rcopying  [${'#'.repeat(17)}${'.'.repeat(13)}]   58%  1,234,567/2,100,000 records`,
      `\rcopying  [${'#'.repeat(30)}]  100%  2,100,000/2,100,000 records`,
      '\n',
    ]);
  });

  it('prints a plain line per tenth elsewhere', () => {
    const written: string[] = [];
    const progress = new CopyProgress({ write: (text: string) => written.push(text) });
    for (const done of [5, 12, 18, 35, 100]) progress.update(done, 100);
    progress.end();
    assert.deepEqual(written, [
      'copying: 12%  12/100 records\n',
      'copying: 35%  35/100 records\n',
      'copying: 100%  100/100 records\n',
    ]);
  });
});
