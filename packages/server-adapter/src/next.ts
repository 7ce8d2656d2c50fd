import { createUploadHandler, type UploadHandler, type UploadHandlerOptions } from './router.js';

/** Route handlers for a Next.js App Router catch-all route. */
export interface NextRouteHandlers {
  GET: UploadHandler;
  POST: UploadHandler;
  DELETE: UploadHandler;
  /** CORS preflights (with the `cors` option); export it only where pages on other origins call the route. */
  OPTIONS: UploadHandler;
}

/**
 * The upload handler as Next.js App Router route handlers, for `app/api/uploads/[[...path]]/route.ts`.
 *
 * @example
 * ```ts
 * // app/api/uploads/[[...path]]/route.ts
 * export const { GET, POST, DELETE } = createNextRouteHandlers(uploadOptions);
 * // with `cors` in uploadOptions, for pages on other origins:
 * // export const { GET, POST, DELETE, OPTIONS } = createNextRouteHandlers(uploadOptions);
 * ```
 */
export function createNextRouteHandlers(options: UploadHandlerOptions): NextRouteHandlers {
  const handler = createUploadHandler(options);
  return { GET: handler, POST: handler, DELETE: handler, OPTIONS: handler };
}
