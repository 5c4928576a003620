// Process applications, the System of pipes and its runners.
export { ProcessApplication, ProcessingEvent } from './process-application.js';
export type { ApplicationClass } from './process-application.js';
export { Follower } from './follower.js';
export type { ErrorPolicy, FollowerOptions, FollowerStatus } from './follower.js';
export { localLeaderLog, promptOnCommit } from './leader-log.js';
export type { LeaderLog, Prompt } from './leader-log.js';
export {
  PARKED_TOPIC,
  RESOLVED_TOPIC,
  listParked,
  park,
  replayParked,
  skipParked,
} from './parked.js';
export type { ParkedEvent } from './parked.js';
export { System, applicationNameOf } from './system.js';
export { settle } from './runner.js';
export type { Position, Runner, RunnerOptions } from './runner.js';
export {
  ConcurrentRunner,
  SingleThreadedRunner,
  callMethod,
  openSystemApplication,
} from './local-runners.js';
export { ApplicationNode } from './node.js';
export type { NodeLinks } from './node.js';
export { WorkerRunner } from './worker-runner.js';
export type { SystemModule } from './worker-runner.js';
export { loadSystem, moduleUrl } from './system-module.js';
export { busPublisher, promptTopic, subscribePrompts } from './bus-prompts.js';
export { storedStatus } from './stored-status.js';
export type { StoredStatus } from './stored-status.js';
export { ProcessRunner } from './process-runner.js';
export type { ProcessRunnerOptions } from './process-runner.js';
