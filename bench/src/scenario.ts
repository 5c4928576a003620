import type { BenchResult } from './harness.js';

/** What a scenario gets from the runner. */
export interface ScenarioContext {
  /** Tiny sizes: checks the scenario runs, in seconds. */
  readonly quick: boolean;
  readonly report: (result: BenchResult) => void;
}

/** One benchmark scenario; `run` reports one or more results. */
export interface Scenario {
  readonly name: string;
  run(context: ScenarioContext): Promise<void>;
}
