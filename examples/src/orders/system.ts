/**
 * The Python library's system example in eventum: an order is created in Orders; Reservations
 * reserves stock for it; Orders marks it reserved; Payments takes the payment for a reserved
 * order; Orders marks it paid. Three process applications, and a cycle (Orders follows the
 * two applications that follow it).
 */
import { ProcessApplication, System } from '@eventum/sourcing';
import type { EventMeta, ProcessingEvent, Recorded } from '@eventum/sourcing';

import { Order, Payment, Reservation } from './domain.js';

/** What the tests read of an order (plain data: it crosses threads and processes). */
export interface OrderView {
  readonly id: string;
  readonly reservations: number;
  readonly payments: number;
  readonly version: number;
}

export class Orders extends ProcessApplication {
  static readonly applicationName = 'orders';

  /** Creates an order; resolves with its id and the notification id of its first event. */
  async createOrder(item: string, quantity: number): Promise<{ id: string; position: number }> {
    const order = Order.create(item, quantity);
    const [position] = await this.save(order);
    return { id: order.id, position: position! };
  }

  async getOrder(id: string): Promise<OrderView> {
    const order = await this.get(Order, id);
    return {
      id,
      reservations: order.reservationIds.length,
      payments: order.paymentIds.length,
      version: order.version,
    };
  }

  /** Per order: ms from its creation (the command) to its payment (the last effect), by the
   * timestamps of the two events (ms resolution; one machine's clock). */
  async latenciesMs(ids: readonly string[]): Promise<number[]> {
    const out: number[] = [];
    for (const id of ids) {
      const events = await this.events.get(id);
      const paid = events.find((e) => e.type === 'OrderPaid');
      if (paid !== undefined)
        out.push(paid.meta.timestamp.getTime() - events[0]!.meta.timestamp.getTime());
    }
    return out;
  }

  /** The envelope of version `version` of order `id`. */
  async eventMeta(id: string, version: number): Promise<EventMeta> {
    const [e] = await this.events.get(id, { gt: version - 1, lte: version });
    return e!.meta;
  }

  async policy(event: Recorded, processing: ProcessingEvent): Promise<void> {
    if (event.type === 'ReservationCreated') {
      const order = await this.get(Order, (event.data as { orderId: string }).orderId);
      order.reserve(event.meta.originatorId);
      processing.collect(order);
    } else if (event.type === 'PaymentMade') {
      const order = await this.get(Order, (event.data as { orderId: string }).orderId);
      order.pay(event.meta.originatorId);
      processing.collect(order);
    }
  }
}

export class Reservations extends ProcessApplication {
  static readonly applicationName = 'reservations';
  static override followTopics = ['OrderCreated'];

  policy(event: Recorded, processing: ProcessingEvent): void {
    const { item, quantity } = event.data as { item: string; quantity: number };
    processing.collect(Reservation.create(event.meta.originatorId, item, quantity));
  }

  /** How many reservations exist (one per order when each order was processed once). */
  async count(): Promise<number> {
    return countTopic(this, 'ReservationCreated');
  }
}

export class Payments extends ProcessApplication {
  static readonly applicationName = 'payments';
  static override followTopics = ['OrderReserved'];

  policy(event: Recorded, processing: ProcessingEvent): void {
    processing.collect(Payment.make(event.meta.originatorId));
  }

  async count(): Promise<number> {
    return countTopic(this, 'PaymentMade');
  }

  /** The envelope of the newest payment. */
  async lastPaymentMeta(): Promise<EventMeta | undefined> {
    const max = await this.events.recorder.maxNotificationId();
    const [n] = await this.events.recorder
      .selectNotifications({
        start: 1,
        stop: max,
        limit: 1_000_000,
        topics: ['PaymentMade'],
      })
      .then((all) => all.slice(-1));
    return n === undefined ? undefined : this.events.mapper.toDomain(n).meta;
  }
}

async function countTopic(app: ProcessApplication, topic: string): Promise<number> {
  let count = 0;
  for (let start = 1; ;) {
    const page = await app.events.recorder.selectNotifications({
      start,
      limit: 1000,
      topics: [topic],
    });
    count += page.length;
    if (page.length < 1000) return count;
    start = page.at(-1)!.id + 1;
  }
}

/** The pipes: Orders → Reservations → Orders → Payments → Orders. */
export const system = new System([[Orders, Reservations, Orders, Payments, Orders]]);
