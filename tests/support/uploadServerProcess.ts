/**
 * The real upload handler behind a real Node HTTP server, run as a child process by
 * {@link startChildUploadServer} (`childUploadServer.ts`), so that a request that crashes the server shows
 * as the child exiting. It reports on stdout, one JSON object a line: `listening` (its port), `served`
 * (each answer the handler produced) and `error` (each `onError` call), each with the request's
 * `x-test-case` header. Nothing here catches uncaught errors: a crash must stay a crash.
 *
 * Configuration comes from the environment: `TESSERA_CHILD_STORE` (the store's `StoreInfo` as JSON),
 * `TESSERA_CHILD_BODY_TIMEOUT_MS` (the handler's `bodyTimeoutMs`) and `TESSERA_CHILD_HEADERS_TIMEOUT_MS`
 * (Node's `headersTimeout`, checked four times as often as it lasts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeListener, createUploadHandler, type UploadHandler } from '@tessera/server-adapter';
import type { StoreInfo } from '../../scripts/swiftStore.js';
import { CASE_HEADER, type ChildEvent } from './childUploadServer.js';
import { handlerOptions } from './uploadServer.js';

const store = JSON.parse(process.env.TESSERA_CHILD_STORE ?? 'null') as StoreInfo | null;
if (store === null) throw new Error('TESSERA_CHILD_STORE is not set');
const bodyTimeoutMs = Number(process.env.TESSERA_CHILD_BODY_TIMEOUT_MS ?? 30_000);
const headersTimeout = Number(process.env.TESSERA_CHILD_HEADERS_TIMEOUT_MS ?? 60_000);

const report = (event: ChildEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);
const caseOf = (request: Request) => request.headers.get(CASE_HEADER) ?? '';

const handler = createUploadHandler(
  handlerOptions(store, {
    bodyTimeoutMs,
    onError: (error, request) =>
      report({
        event: 'error',
        case: caseOf(request),
        code: (error as { code?: unknown }).code === undefined ? null : String((error as { code: unknown }).code),
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  }),
);
const served: UploadHandler = async (request) => {
  const response = await handler(request);
  report({ event: 'served', case: caseOf(request), status: response.status });
  return response;
};

const server = createServer(
  { headersTimeout, connectionsCheckingInterval: Math.max(100, Math.floor(headersTimeout / 4)) },
  createNodeListener(served),
);
server.listen(0, '127.0.0.1', () => {
  report({ event: 'listening', port: (server.address() as AddressInfo).port });
});
