/**
 * `npm run store` / `npm run store:stop`: the embedded S3-compatible store for development.
 * Env: TESSERA_STORE_DIR (default .store/swift), TESSERA_STORE_PORT (default 9000), TESSERA_BUCKET.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { startSwiftStore, stopSwiftStore } from './swiftStore.js';

const dir = process.env.TESSERA_STORE_DIR ?? '.store/swift';
const port = Number(process.env.TESSERA_STORE_PORT ?? 9000);
const command = process.argv[2];

if (command === 'start') {
  const info = await startSwiftStore({ dir, ports: { proxy: port }, bucket: process.env.TESSERA_BUCKET ?? 'tessera' });
  console.log(`S3-compatible store (OpenStack Swift + s3api) ready
  endpoint  ${info.endpoint}
  region    ${info.region}
  bucket    ${info.bucket}
  key       ${info.accessKeyId}
  secret    ${info.secretAccessKey}
  pids      ${Object.entries(info.pids)
    .map(([name, pid]) => `${name}=${pid}`)
    .join(' ')}
Stop it with: npm run store:stop`);
} else if (command === 'stop') {
  const pids = await stopSwiftStore(dir);
  console.log(pids.length ? `stopped store processes ${pids.join(' ')}` : 'no store was running');
} else {
  console.error('usage: store.ts start|stop');
  process.exit(2);
}
