import { describeError, isTesseraError } from '@tessera/react';

/** A sentence about why the server refused, with its status and code (a 403 `forbidden` is the point). */
export function describeRefusal(error: unknown): string {
  if (!isTesseraError(error)) return error instanceof Error ? error.message : String(error);
  const status = error.status === undefined ? '' : `${error.status} `;
  return `${describeError(error)} (server answered ${status}${error.code})`;
}
