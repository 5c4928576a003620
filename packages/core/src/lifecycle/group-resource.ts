import type { Resource } from './resource.js';
import { ResourceGroup } from './resource-group.js';

/**
 * Base class of resources whose lifecycle is one {@link ResourceGroup}: subclasses register
 * loops, children and cleanups on `group`; `close`, `closed`, `isClosed` and `await using`
 * come from here.
 */
export abstract class GroupResource implements Resource {
  protected readonly group = new ResourceGroup();

  get isClosed(): boolean {
    return this.group.isClosed;
  }

  get closed(): Promise<Error | undefined> {
    return this.group.closed;
  }

  close(reason?: Error): Promise<void> {
    return this.group.close(reason);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
