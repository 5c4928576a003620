import { truncate } from 'node:fs/promises';
import { join } from 'node:path';

import type { Event, Logger } from '@eventum/core';

import { readOrEmpty } from './files.js';
import { parseBlocks } from './format.js';

/**
 * Reads the events of span file `dir/name` at start-up. Flushes append whole blocks, so a crash
 * during an append can leave a torn last block: when the file ends in an incomplete block past
 * `recordedSize` (its size in the state file), the tail is cut off (a warning names the bytes).
 * A broken block within the recorded size is damage, not a torn append: it throws.
 */
export async function readSpanRepairingTail(
  dir: string,
  name: string,
  recordedSize: number,
  logger: Logger,
): Promise<{ events: Event[]; size: number }> {
  const data = await readOrEmpty(dir, name);
  const events: Event[] = [];
  let end = 0;
  try {
    for (const block of parseBlocks(data)) {
      events.push(block.event);
      end = block.end;
    }
    return { events, size: data.length };
  } catch (error) {
    if (end < recordedSize) throw error;
    await truncate(join(dir, name), end);
    logger.warn('cut off a torn append at the end of a span file', {
      file: name,
      bytes: data.length - end,
    });
    return { events, size: end };
  }
}
