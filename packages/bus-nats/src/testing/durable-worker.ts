// A JetStream queue subscriber for the redelivery test: reads ONE event, prints its id and
// delivery count as a JSON line, then hangs until killed (never acknowledging it).
// Usage: node durable-worker.js <servers> <stream> <subjects> <pattern> <queue> <ackWaitMs>
import { createJetStreamBus } from '../jetstream-bus.js';

const [servers = '', stream = '', subjects = '', pattern = '', queue = '', ackWaitMs = '1000'] =
  process.argv.slice(2);
const bus = await createJetStreamBus({
  servers,
  stream: { name: stream, subjects: [subjects], storage: 'memory' },
  consumer: { ackWaitMs: Number(ackWaitMs) },
});
const subscription = bus.subscribe(pattern, { queue });
await subscription.ready;
process.stdout.write('ready\n');
for await (const event of subscription) {
  process.stdout.write(`${JSON.stringify({ id: event.id, count: event.delivery?.count })}\n`);
  setInterval(() => undefined, 60_000);
  await new Promise(() => undefined);
}
