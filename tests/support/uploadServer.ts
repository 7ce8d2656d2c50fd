/** The real upload handler behind a real Node HTTP server on 127.0.0.1 (port 0), for integration tests. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeListener, createUploadHandler, type UploadHandlerOptions } from '@tessera/server-adapter';
import type { StoreInfo } from '../../scripts/swiftStore.js';

export const TEST_SECRET = 'integration-test-secret-0123456789abcdef';
/** Tests say who they are with this header; a missing header is an anonymous request. */
export const TEST_USER_HEADER = 'x-test-user';

export interface UploadServer {
  /** Base URL of the handler, e.g. http://127.0.0.1:PORT/api/uploads */
  url: string;
  close(): Promise<void>;
}

export function handlerOptions(store: StoreInfo, overrides: Partial<UploadHandlerOptions> = {}): UploadHandlerOptions {
  return {
    bucket: store.bucket,
    s3: {
      endpoint: store.endpoint,
      region: store.region,
      forcePathStyle: true,
      credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
    },
    secret: TEST_SECRET,
    authorize: (request) => {
      const user = request.headers.get(TEST_USER_HEADER);
      return user ? { userId: user } : null;
    },
    ...overrides,
  };
}

export async function startUploadServer(
  store: StoreInfo,
  overrides: Partial<UploadHandlerOptions> = {},
): Promise<UploadServer> {
  const handler = createUploadHandler(handlerOptions(store, overrides));
  const server: Server = createServer(createNodeListener(handler));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/uploads`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
