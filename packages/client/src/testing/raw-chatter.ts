import type { Socket } from 'node:net';

import { FrameDecoder, decodeChatterMsg, encodeChatterFrame } from '@eventum/core';
import type { ChatterMsg } from '@eventum/core';

import { ReceiveQueue } from '../receive-queue.js';

/**
 * A hand-driven chatter peer over a raw socket, for tests that must see or forge exact frames:
 * every received frame is decoded and queued (Ping is not answered), `write` sends any envelope.
 */
export class RawChatterPeer {
  readonly socket: Socket;
  readonly #queue = new ReceiveQueue<ChatterMsg>();
  /** Every byte received, in order. */
  readonly bytes: Buffer[] = [];

  constructor(socket: Socket) {
    this.socket = socket;
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      this.bytes.push(chunk);
      for (const frame of decoder.push(chunk)) this.#queue.push(decodeChatterMsg(frame));
    });
    socket.on('close', () => this.#queue.close(new Error('raw peer socket closed')));
  }

  /** The next decoded message. */
  next(): Promise<ChatterMsg> {
    return this.#queue.shift();
  }

  /** Sends one framed message. */
  write(msg: ChatterMsg): void {
    this.socket.write(encodeChatterFrame(msg));
  }

  /** Resolves when the socket has closed. */
  whenClosed(): Promise<void> {
    if (this.socket.closed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }
}
