import { ErrorCode, EventumError, toError } from '@eventum/core';
import type { Logger } from '@eventum/core';
import { AckPolicy, DeliverPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerConfig, JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { BusReplayFrom } from '@eventum/core';

import type { JetStreamConsumerOptions, JetStreamStreamOptions } from './options.js';

/** Default de-duplication window of the stream (NATS's own default). */
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/**
 * Creates the stream, or checks the existing one: subjects it lacks are added (an update), other
 * settings of an existing stream are left as they are. Throws `ERR_BUS` naming the stream.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  options: JetStreamStreamOptions,
  logger: Logger,
): Promise<void> {
  try {
    const info = await jsm.streams.info(options.name).catch(() => null);
    if (info === null) {
      await jsm.streams.add(streamConfig(options));
      logger.info('JetStream stream created', { stream: options.name });
      return;
    }
    const missing = options.subjects.filter((s) => !info.config.subjects.includes(s));
    if (missing.length > 0) {
      await jsm.streams.update(options.name, { subjects: [...info.config.subjects, ...missing] });
      logger.info('JetStream stream subjects added', { stream: options.name, subjects: missing });
    }
  } catch (error) {
    throw new EventumError(
      ErrorCode.Bus,
      `cannot create or check stream ${options.name}: ${toError(error).message}`,
      { cause: error },
    );
  }
}

function streamConfig(options: JetStreamStreamOptions): Partial<StreamConfig> & { name: string } {
  return {
    name: options.name,
    subjects: [...options.subjects],
    storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File,
    max_age: nanos(options.maxAgeMs ?? 0),
    max_msgs: options.maxMsgs ?? -1,
    duplicate_window: nanos(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
  };
}

/** A durable queue consumer's configuration: explicit acks, the options' limits, `from`. */
export function durableConfig(
  queue: string,
  pattern: string,
  consumer: JetStreamConsumerOptions,
  from: BusReplayFrom | undefined,
): Partial<ConsumerConfig> {
  return {
    durable_name: queue,
    ack_policy: AckPolicy.Explicit,
    filter_subject: pattern,
    ack_wait: nanos(consumer.ackWaitMs ?? 30_000),
    max_deliver: consumer.maxDeliver ?? -1,
    max_ack_pending: consumer.maxAckPending ?? 1000,
    ...(consumer.backoffMs === undefined
      ? {}
      : { backoff: consumer.backoffMs.map((ms) => nanos(ms)) }),
    ...startOf(from),
  };
}

/** The consumer fields that say where delivery starts. */
export function startOf(from: BusReplayFrom | undefined): Partial<ConsumerConfig> {
  if (from === undefined || from === 'new') return { deliver_policy: DeliverPolicy.New };
  if (from === 'all') return { deliver_policy: DeliverPolicy.All };
  if ('seq' in from)
    return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from.seq };
  return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: from.time.toISOString() };
}
