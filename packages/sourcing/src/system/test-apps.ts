// Applications for the system's own tests (not exported from the package).
import { Aggregate, event } from '../aggregate.js';
import { Application } from '../application.js';
import type { Decider } from '../decider.js';
import type { Event, Recorded } from '../events.js';
import { ProcessApplication } from './process-application.js';
import type { ProcessingEvent } from './process-application.js';

type NoteEvent = Event<'Noted', { text: string }>;

/** One note per stream. */
export class Note extends Aggregate<NoteEvent> {
  text = '';

  write(text: string): void {
    this.noted({ text });
  }

  @event('Noted') protected noted(data: { text: string }): void {
    this.text = data.text;
  }
}

/** A plain application: writes notes. */
export class Source extends Application {
  static readonly applicationName: string = 'source';

  async write(id: string, text: string): Promise<number> {
    const note = new Note(id);
    note.write(text);
    const [position] = await this.save(note);
    return position!;
  }
}

/** Copies every note it sees; fails on texts listed in `failing`. */
export class Copier extends ProcessApplication {
  static readonly applicationName = 'copier';
  readonly failing = new Set<string>();
  seen = 0;

  policy(event: Recorded, processing: ProcessingEvent): void {
    this.seen++;
    const { text } = event.data as { text: string };
    if (this.failing.has(text)) throw new Error(`cannot copy ${text}`);
    const copy = new Note(`copy-${event.meta.originatorId}`);
    copy.write(text);
    processing.collect(copy);
  }

  async copied(): Promise<string[]> {
    const all = await this.events.recorder.selectNotifications({
      start: 1,
      limit: 1e6,
      topics: ['Noted'],
    });
    return all.map((n) => (this.events.mapper.toDomain(n).data as { text: string }).text);
  }
}

type Counted = Event<'Counted', { n: number }>;

/** A decider counting what it is told to count. */
export const tally: Decider<{ count: number }, { type: 'Count' }, Counted> = {
  name: 'tally',
  initialState: () => ({ count: 0 }),
  decide: (_command, state) => ({ type: 'Counted', data: { n: state.count + 1 } }),
  evolve: (_state, event) => ({ count: event.data.n }),
};

/** Counts the notes it sees, in the functional style. */
export class Tally extends ProcessApplication {
  static readonly applicationName = 'tally';

  async policy(_event: Recorded, processing: ProcessingEvent): Promise<void> {
    await this.decide(processing, tally, 'tally', { type: 'Count' });
  }
}
