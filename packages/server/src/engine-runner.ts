import { ClosedError, deferred, GroupResource, noopLogger, Status, toError } from '@eventum/core';
import type { Deferred, Logger, Resource } from '@eventum/core';

import { whenAborted } from './abort.js';
import { createEngine } from './engine.js';
import type { Engine } from './engine.js';
import type { ClientNameSource, EngineOptions } from './engine-options.js';
import type { ActivityGate } from './redundancy.js';

/**
 * Receives the server status the engine runner drives (the eventer server implements it and
 * tells its clients). `engine` is the running engine with `operational` and `null` with every
 * other status. Called once per transition, awaited; a throw closes the runner.
 */
export interface StatusListener {
  setStatus(status: Status, engine: Engine | null): void | Promise<void>;
}

/** Options of {@link createEngineRunner}: the engine's options, minus what the runner wires. */
export interface EngineRunnerOptions extends Omit<EngineOptions, 'onRestart' | 'eventerServer'> {
  /** Gets every status change; if it also lists clients, engines use it for `getClientNames`. */
  readonly eventerServer: StatusListener & Partial<ClientNameSource>;
  /** Redundancy: the engine runs only while the gate allows (see `Redundancy`); absent, always. */
  readonly gate?: ActivityGate;
}

/**
 * Owns the engine's lifecycle (Hat's `EngineRunner`); with a `gate` (redundancy) each engine
 * starts once the gate allows and stops (as on a restart, ending in `standby`) when it no longer
 * does:
 * `starting` → engine created → `operational`; on a restart request the engine closes →
 * `stopping` → engine closed (`STOPPED` stored) → `backend.flush()` → `standby`, then again from
 * `starting`. When the engine closes by itself (a module closed), or its creation fails, the
 * runner runs the same stop sequence and closes with that reason; closing the runner does too.
 * It never closes the backend.
 */
export interface EngineRunner extends Resource {
  /** The last status set. */
  readonly status: Status;
  /** The running engine while `operational`, otherwise `null`. */
  readonly engine: Engine | null;
  /** Asks for a restart of the current engine (or of the one being started). */
  restart(): void;
}

/** Starts the runner: the first engine is created in the background. */
export function createEngineRunner(options: EngineRunnerOptions): EngineRunner {
  return new StandaloneEngineRunner(options);
}

type Outcome = 'restart' | 'engine-closed' | 'runner-closed' | 'inactive';

class StandaloneEngineRunner extends GroupResource implements EngineRunner {
  readonly #options: EngineRunnerOptions;
  readonly #logger: Logger;
  #status: Status = Status.Standby;
  #engine: Engine | null = null;
  #restart: Deferred<void> = deferred();

  constructor(options: EngineRunnerOptions) {
    super();
    this.#options = options;
    this.#logger = options.logger ?? noopLogger;
    this.group.spawn((signal) => this.#run(signal));
  }

  get status(): Status {
    return this.#status;
  }

  get engine(): Engine | null {
    return this.#engine;
  }

  restart(): void {
    this.#restart.resolve();
  }

  async #run(signal: AbortSignal): Promise<void> {
    const aborted = whenAborted(signal).then((): Outcome => 'runner-closed');
    const gate = this.#options.gate;
    for (;;) {
      if (gate !== undefined) {
        await gate.waitActive(signal);
        if (signal.aborted) return;
      }
      const restart = (this.#restart = deferred());
      const restarted = restart.promise.then((): Outcome => 'restart');
      await this.#setStatus(Status.Starting, null);
      const engine = await this.#startEngine(restart);
      if (!signal.aborted) await this.#setStatus(Status.Operational, engine);
      const closed = engine.closed.then((): Outcome => 'engine-closed');
      const inactive = gate?.whenInactive().then((): Outcome => 'inactive');
      const outcomes = [aborted, restarted, closed];
      const outcome = await Promise.race(
        inactive === undefined ? outcomes : [...outcomes, inactive],
      );
      this.#logger.info('stopping engine', { outcome });
      await this.#stop(engine);
      if (outcome === 'runner-closed') return;
      if (outcome === 'engine-closed') {
        throw new ClosedError('engine closed', { cause: await engine.closed });
      }
    }
  }

  /** Creates an engine whose `restart()` resolves `restart` (so a stale engine's module can
   * never restart its successor). */
  async #startEngine(restart: Deferred<void>): Promise<Engine> {
    const { eventerServer, ...engineOptions } = this.#options;
    const names = eventerServer.getClientNames?.bind(eventerServer);
    try {
      return await createEngine({
        ...engineOptions,
        ...(names === undefined ? {} : { eventerServer: { getClientNames: names } }),
        onRestart: () => restart.resolve(),
      });
    } catch (error) {
      this.#logger.error('engine creation failed', { error: toError(error).message });
      await this.#stop(null);
      throw error;
    }
  }

  /** Hat's `_close`: close the engine → `stopping` → engine closed → flush → `standby`. */
  async #stop(engine: Engine | null): Promise<void> {
    const closing = engine?.close();
    await this.#setStatus(Status.Stopping, null);
    await closing;
    let failure: Error | undefined;
    try {
      await this.#options.backend.flush();
    } catch (error) {
      failure = toError(error);
      this.#logger.error('backend flush failed', { error: failure.message });
    }
    await this.#setStatus(Status.Standby, null);
    if (failure !== undefined) throw failure;
  }

  async #setStatus(status: Status, engine: Engine | null): Promise<void> {
    this.#status = status;
    this.#engine = engine;
    this.#logger.debug('status', { status });
    await this.#options.eventerServer.setStatus(status, engine);
  }
}
