import { Aggregate, event, newId } from '@eventum/sourcing';
import type { Event } from '@eventum/sourcing';

/** The events of an order. */
export type OrderEvent =
  | Event<'OrderCreated', { item: string; quantity: number }>
  | Event<'OrderReserved', { reservationId: string }>
  | Event<'OrderPaid', { paymentId: string }>;

/** An order: created by a command, reserved and paid by the system's policies. */
export class Order extends Aggregate<OrderEvent> {
  item = '';
  quantity = 0;
  reservationIds: string[] = [];
  paymentIds: string[] = [];

  static create(item: string, quantity: number): Order {
    const order = new Order(newId());
    order.created({ item, quantity });
    return order;
  }

  // Neither command refuses a second reservation or payment: the tests count them to show
  // that each upstream event was processed exactly once.
  reserve(reservationId: string): void {
    this.reserved({ reservationId });
  }

  pay(paymentId: string): void {
    this.paid({ paymentId });
  }

  @event('OrderCreated') protected created(data: { item: string; quantity: number }): void {
    this.item = data.item;
    this.quantity = data.quantity;
  }

  @event('OrderReserved') protected reserved(data: { reservationId: string }): void {
    this.reservationIds.push(data.reservationId);
  }

  @event('OrderPaid') protected paid(data: { paymentId: string }): void {
    this.paymentIds.push(data.paymentId);
  }
}

/** A reservation of stock for one order. */
export class Reservation extends Aggregate<
  Event<'ReservationCreated', { orderId: string; item: string; quantity: number }>
> {
  orderId = '';

  static create(orderId: string, item: string, quantity: number): Reservation {
    const reservation = new Reservation(newId());
    reservation.created({ orderId, item, quantity });
    return reservation;
  }

  @event('ReservationCreated') protected created(data: {
    orderId: string;
    item: string;
    quantity: number;
  }): void {
    this.orderId = data.orderId;
  }
}

/** A payment for one order. */
export class Payment extends Aggregate<Event<'PaymentMade', { orderId: string }>> {
  orderId = '';

  static make(orderId: string): Payment {
    const payment = new Payment(newId());
    payment.made({ orderId });
    return payment;
  }

  @event('PaymentMade') protected made(data: { orderId: string }): void {
    this.orderId = data.orderId;
  }
}
