export { backendContract } from './backend-contract.js';
export { ids, idText, openFixture } from './fixture.js';
export type { BackendStorage, Fixture } from './fixture.js';
export { json, makeEvent, session } from './events.js';
export { jsonText } from './backend-contract-limits.js';
export { isReachable, requireService, testNatsUrl, testPgUrl } from './services.js';
export { tempDir, waitFor } from './temp.js';
export type { TempDir } from './temp.js';
export { assertSurvivesKills, runAndKill, runCrashWriter } from './crash.js';
