import { createUploadHandler, type UploadHandler, type UploadHandlerOptions } from './router.js';

/** Route handlers for a Next.js App Router catch-all route. */
export interface NextRouteHandlers {
  GET: UploadHandler;
  POST: UploadHandler;
  DELETE: UploadHandler;
}

/**
 * The upload handler as Next.js App Router route handlers, for `app/api/uploads/[[...path]]/route.ts`.
 *
 * @example
 * ```ts
 * // app/api/uploads/[[...path]]/route.ts
 * export const { GET, POST, DELETE } = createNextRouteHandlers(uploadOptions);
 * ```
 */
export function createNextRouteHandlers(options: UploadHandlerOptions): NextRouteHandlers {
  const handler = createUploadHandler(options);
  return { GET: handler, POST: handler, DELETE: handler };
}
