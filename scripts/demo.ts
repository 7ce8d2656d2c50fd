/**
 * `npm run demo`: the embedded store and the upload API on localhost, stopped together on Ctrl-C.
 * Env: PORT (default 3000), TESSERA_STORE_PORT (default 9000).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { demoHandlerOptions } from '@tessera/demo';
import { createNodeListener, createUploadHandler } from '@tessera/server-adapter';
import { readStoreInfo, startSwiftStore, stopSwiftStore } from './swiftStore.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const dir = '.store/demo';
const port = Number(process.env.PORT ?? 3000);

const store =
  readStoreInfo(dir) ??
  (await startSwiftStore({ dir, ports: { proxy: Number(process.env.TESSERA_STORE_PORT ?? 9000) } }));
const handler = createUploadHandler(demoHandlerOptions(store, randomBytes(32).toString('hex')));
const server = createServer(createNodeListener(handler));
server.listen(port, '127.0.0.1', () => {
  console.log(`Tessera demo
  upload API  http://127.0.0.1:${port}/api/uploads/v1/uploads   (protocol: packages/server-adapter/README.md)
  store       ${store.endpoint}  bucket ${store.bucket}
Ctrl-C stops both.`);
});

const stop = async () => {
  server.closeAllConnections();
  server.close();
  await stopSwiftStore(dir);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
