import { ErrorCode, EventumError } from '@eventum/core';

/**
 * The eventer server answered `MsgInitReq` with an error (Hat's `EventerInitError`): e.g. a wrong
 * client token or an invalid subscription. Code `ERR_REFUSED`; `serverMessage` is the server's
 * text. Retrying with the same options usually fails the same way.
 */
export class EventerInitError extends EventumError {
  readonly serverMessage: string;

  constructor(serverMessage: string, options?: ErrorOptions) {
    super(ErrorCode.Refused, `eventer server refused the client: ${serverMessage}`, options);
    this.serverMessage = serverMessage;
  }
}

/**
 * A consumer of `EventerClient.events()` fell more than `limit` batches behind; its iterator
 * ended with this error so that memory stays bounded. Code `ERR_CLOSED`: that iterator is closed,
 * the client is not; call `events()` again (and query what was missed) to continue.
 */
export class ConsumerOverflowError extends EventumError {
  readonly limit: number;

  constructor(limit: number) {
    super(ErrorCode.Closed, `events consumer fell more than ${limit} batches behind`);
    this.limit = limit;
  }
}
