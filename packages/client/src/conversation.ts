import type { ChatterData, ChatterHeader, ChatterMsg } from '@eventum/core';

/**
 * A chatter conversation as seen from this side of a connection (hat-drivers `Conversation`):
 * `owner` is true when this side started it, `first` is the id of the message that started it
 * (an id of the owner's counter). `(owner, first)` is unique per connection for its lifetime, so
 * it is the key to match replies to requests: a reply to a request sent by this side arrives with
 * `owner: true` and `first` equal to the request's id.
 */
export interface Conversation {
  readonly owner: boolean;
  readonly first: number;
}

/** A received chatter message, as hat-drivers `Msg`. */
export interface ReceivedMessage {
  /** Type name and SBS bytes. `data.data` is a read-only view into received bytes: copy it to
   * keep it beyond the decode, never write to it. */
  readonly data: ChatterData;
  /** The conversation this message belongs to, from this side's point of view. */
  readonly conversation: Conversation;
  /** True when this message started its conversation. */
  readonly first: boolean;
  /** True when the sender closed the conversation with this message. */
  readonly last: boolean;
  /** Token passing flag (always true in hat-event usage). */
  readonly token: boolean;
}

/** Options of `ChatterConnection.send`. */
export interface SendOptions {
  /** Continue this conversation; omitted → the message starts a new one (owned by this side). */
  readonly conversation?: Conversation;
  /** Close the conversation with this message (default true). */
  readonly last?: boolean;
  /** Token passing flag (default true). */
  readonly token?: boolean;
}

/** True when `a` and `b` are the same conversation. */
export function sameConversation(a: Conversation, b: Conversation): boolean {
  return a.owner === b.owner && a.first === b.first;
}

/** The receiver's view of a decoded envelope (hat-drivers: `conv.owner = not msg.owner`,
 * `first = msg.owner and msg.first == msg.id`). */
export function toReceivedMessage(message: ChatterMsg): ReceivedMessage {
  const { data, last, token } = message;
  const conversation = { owner: !message.owner, first: message.first };
  return { data, conversation, first: message.owner && message.first === message.id, last, token };
}

/** The envelope of message `id` sent with `options` (a new conversation starts at `id`). */
export function envelopeHeader(id: number, options: SendOptions): ChatterHeader {
  const conversation = options.conversation;
  return {
    id,
    first: conversation === undefined ? id : conversation.first,
    owner: conversation === undefined ? true : conversation.owner,
    token: options.token ?? true,
    last: options.last ?? true,
  };
}
