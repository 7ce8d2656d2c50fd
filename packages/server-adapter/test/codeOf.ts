import { TesseraError, type TesseraErrorCode } from '@tessera/core';

/** The `TesseraError` code a promise rejects with, or what happened instead. */
export async function codeOf(promise: Promise<unknown>): Promise<TesseraErrorCode | 'resolved' | 'not-a-tessera-error'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof TesseraError ? error.code : 'not-a-tessera-error';
  }
}
