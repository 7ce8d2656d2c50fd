/**
 * `npm run demo`: the embedded store and the Next.js demo app (a production build: `next build`, then
 * `next start`) on localhost, stopped together on Ctrl-C. The build is skipped when nothing changed since.
 * Env: PORT (default 3000), TESSERA_STORE_PORT (default 9000), TESSERA_DEMO_SECRET (default: generated once
 * into .store/demo-secret).
 */
import { buildDemoApp, DEMO_STORE_DIR, demoBuildIsStale, demoSecret, startDemoApp, storeToEnv } from '@tessera/demo';
import { readStoreInfo, startSwiftStore, stopSwiftStore } from './swiftStore.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const port = Number(process.env.PORT ?? 3000);

async function storeAnswers(endpoint: string): Promise<boolean> {
  return fetch(`${endpoint}/healthcheck`).then(
    (response) => response.ok,
    () => false,
  );
}

// A store left running by an earlier `npm run demo` is used as it is (and left running); one that does not
// answer (still stopping after a Ctrl-C, or wedged) is stopped first, by the pids it recorded.
const running = readStoreInfo(DEMO_STORE_DIR);
const reused = running !== undefined && (await storeAnswers(running.endpoint));
if (running && !reused) await stopSwiftStore(DEMO_STORE_DIR);
let store: Awaited<ReturnType<typeof startSwiftStore>>;
try {
  store = reused
    ? running
    : await startSwiftStore({ dir: DEMO_STORE_DIR, ports: { proxy: Number(process.env.TESSERA_STORE_PORT ?? 9000) } });
} catch (error) {
  // One line that says what failed and where the logs are; startSwiftStore stopped what it had started.
  console.error(`The store could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const env = { ...storeToEnv(store), TESSERA_DEMO_SECRET: demoSecret() };

let app: Awaited<ReturnType<typeof startDemoApp>> | undefined;
let stopping = false;
const stop = async (code = 0) => {
  if (stopping) return;
  stopping = true;
  await app?.stop();
  if (!reused) await stopSwiftStore(DEMO_STORE_DIR);
  process.exit(code);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());

try {
  if (demoBuildIsStale()) {
    console.log('Building the demo app (next build, about a minute)…');
    await buildDemoApp({ env });
  }
  app = await startDemoApp(port, { env });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}

console.log(`
Tessera demo   ${app?.url}   (sign in with any name; try two browsers as two users)
  store        ${store.endpoint}  bucket ${store.bucket}${reused ? '  (already running; left running)' : ''}
Ctrl-C stops both.`);
