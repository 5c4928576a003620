import { after, describe } from 'node:test';

import { createJetStreamBus, createNatsBus } from '@eventum/bus-nats';
import { busTestRoot, requireService, testNatsUrl } from '@eventum/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

import { durableTests } from './testing/notify-durable.js';
import { notifyContract } from './testing/notify-contract.js';

let skip: string | false = false;
await requireService('NATS', testNatsUrl, (reason) => (skip = reason));
const stream = {
  name: `EVENTUM_NOTIFY_${busTestRoot}`,
  subjects: [`${busTestRoot}.>`],
  storage: 'memory' as const,
};

describe('notify on NATS', { skip }, () => {
  notifyContract('nats', () => createNatsBus({ servers: testNatsUrl }));
});

describe('notify on JetStream', { skip }, () => {
  after(async () => {
    const nc = await connect({ servers: testNatsUrl });
    await (await jetstreamManager(nc)).streams.delete(stream.name).catch(() => false);
    await nc.close();
  });
  const open = () => createJetStreamBus({ servers: testNatsUrl, stream });
  notifyContract('jetstream', open);
  durableTests(open);
});
