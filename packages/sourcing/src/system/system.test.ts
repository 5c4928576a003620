import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';

import { ProcessApplication } from './process-application.js';
import type { ApplicationClass } from './process-application.js';
import { System } from './system.js';
import { Copier, Source } from './test-apps.js';

class Echo extends ProcessApplication {
  static readonly applicationName = 'echo';
  policy(): void {}
}

const invalid = (e: unknown): boolean => isEventumError(e, 'ERR_INVALID_ARGUMENT');

describe('System', () => {
  it('derives leaders, followers, processors and singles from pipes, cycles allowed', () => {
    class Lone extends Source {
      static override readonly applicationName = 'lone';
    }
    const system = new System([[Source, Copier, Echo, Copier], [Source, Copier], [Lone]]);
    assert.deepEqual(system.edges, [
      ['source', 'copier'],
      ['copier', 'echo'],
      ['echo', 'copier'],
    ]);
    assert.deepEqual(system.leaders, ['source', 'copier', 'echo']);
    assert.deepEqual(system.followers, ['copier', 'echo']);
    assert.deepEqual(system.leadersOnly, ['source']);
    assert.deepEqual(system.processors, ['copier', 'echo']);
    assert.deepEqual(system.singles, ['lone']);
    assert.deepEqual(system.follows('copier'), ['source', 'echo']);
    assert.deepEqual(system.startOrder, ['copier', 'echo', 'source', 'lone']);
  });

  it('refuses a follower that is not a process application', () => {
    assert.throws(
      () => new System([[Copier, Source]]),
      /source follows an application but is not a ProcessApplication/,
    );
  });

  it('refuses what is not an application class, two classes of one name, unknown names', () => {
    assert.throws(() => new System([[Source, (() => 1) as unknown as ApplicationClass]]), invalid);
    class Other extends Source {}
    Object.defineProperty(Other, 'applicationName', { value: 'source' });
    assert.throws(
      () => new System([[Source, Copier], [Other]]),
      /two application classes are named source/,
    );
    assert.throws(() => new System([]), invalid);
    assert.throws(() => new System([[Source, Copier]]).classOf('nope'), /no application "nope"/);
  });
});
