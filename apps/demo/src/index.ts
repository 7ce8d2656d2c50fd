// The demo's server side: configuration, the signed session, the upload handler's options, stored objects.
export { DEMO_ENV, DEMO_SECRET_FILE, DEMO_STORE_DIR, demoSecret, demoStore, storeFromEnv, storeToEnv } from './demoConfig.js';
export type { DemoStore } from './demoConfig.js';
export {
  SESSION_COOKIE,
  SESSION_MAX_AGE,
  USER_NAME_PATTERN,
  normaliseUserName,
  readCookie,
  requestUser,
  signSession,
  verifySession,
} from './demoSession.js';
export { demoHandlerOptions, storeClientConfig } from './demoHandlerOptions.js';
export { LINK_TTL_SECONDS, listStoredObjects, userPrefix } from './storedObjects.js';
export type { StoredObject } from './storedObjects.js';
export { DEMO_APP_DIR, buildDemoApp, demoBuildIsStale, startDemoApp } from './demoApp.js';
export type { DemoAppOptions, RunningDemoApp } from './demoApp.js';
