// A tiny System for the CLI's tests of `eventum system`: Notes → Flaky, whose policy fails on
// the note "bad" until the environment says FLAKY_FIXED=1 (the fix a replay waits for).
import { Aggregate, Application, ProcessApplication, System, event } from '@eventum/sourcing';
import type { Event, ProcessingEvent, Recorded } from '@eventum/sourcing';

class Note extends Aggregate<Event<'Noted', { text: string }>> {
  text = '';

  write(text: string): void {
    this.noted({ text });
  }

  @event('Noted') protected noted(data: { text: string }): void {
    this.text = data.text;
  }
}

export class Notes extends Application {
  static readonly applicationName = 'notes';

  /** Writes a note; resolves with its notification id. */
  async write(id: string, text: string): Promise<number> {
    const note = new Note(id);
    note.write(text);
    const [position] = await this.save(note);
    return position!;
  }
}

export class Flaky extends ProcessApplication {
  static readonly applicationName = 'flaky';

  policy(e: Recorded, processing: ProcessingEvent): void {
    const { text } = e.data as { text: string };
    if (text === 'bad' && process.env['FLAKY_FIXED'] !== '1') throw new Error('cannot take bad');
    const copy = new Note(`copy-${e.meta.originatorId}`);
    copy.write(text);
    processing.collect(copy);
  }
}

export const system = new System([[Notes, Flaky]]);
