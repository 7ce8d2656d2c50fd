import { createS3Gateway, type S3Gateway, type UploadHandlerOptions } from '@tessera/server-adapter';
import { type DemoStore, demoSecret, demoStore } from './demoConfig.js';
import { requestUser } from './demoSession.js';

/** The S3 client settings for the demo's store (path-style, static credentials). */
export function storeClientConfig(store: DemoStore) {
  return {
    endpoint: store.endpoint,
    region: store.region,
    forcePathStyle: true,
    credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
  };
}

// The store is found on the first request, not when Next.js loads the route while building.
function lazyGateway(store: () => DemoStore): S3Gateway {
  let gateway: S3Gateway | undefined;
  const real = () => {
    if (gateway) return gateway;
    const found = store();
    gateway = createS3Gateway(storeClientConfig(found), found.bucket);
    return gateway;
  };
  return {
    createMultipartUpload: (input) => real().createMultipartUpload(input),
    presignUploadPart: (input) => real().presignUploadPart(input),
    listParts: (input) => real().listParts(input),
    completeMultipartUpload: (input) => real().completeMultipartUpload(input),
    abortMultipartUpload: (input) => real().abortMultipartUpload(input),
    headObject: (input) => real().headObject(input),
    listMultipartUploads: (input) => real().listMultipartUploads(input),
    putRecord: (input) => real().putRecord(input),
    getRecord: (input) => real().getRecord(input),
    deleteRecord: (input) => real().deleteRecord(input),
    listRecords: (input) => real().listRecords(input),
  };
}

/**
 * The demo's upload handler options: the embedded store, the signed session cookie as identity (no
 * session → 401), a generous video-friendly policy. `store` and `secret` default to {@link demoStore}
 * and {@link demoSecret}.
 * @example
 * export const { GET, POST, DELETE } = createNextRouteHandlers(demoHandlerOptions());
 */
export function demoHandlerOptions(store: () => DemoStore = demoStore, secret: string = demoSecret()): UploadHandlerOptions {
  return {
    // Unused beside `gateway`, which names the bucket itself once the store is known.
    bucket: '',
    gateway: lazyGateway(store),
    secret,
    authorize: (request) => {
      const user = requestUser(request, secret);
      return user ? { userId: user } : null;
    },
    policy: { maxFileSize: 20 * 1024 ** 3 },
  };
}
