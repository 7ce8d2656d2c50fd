import type { TesseraError, TesseraErrorCode } from '@tessera/core';

const MESSAGES: Partial<Record<TesseraErrorCode, string>> = {
  'fingerprint-mismatch': 'This is not the file the upload started with. Choose the same file again.',
  'network-error': 'The server could not be reached. Check the connection and retry.',
  'retries-exhausted': 'A part kept failing. Retry to continue from where it stopped.',
  'upload-not-found': 'The server no longer has this upload. Start it again.',
  'token-expired': 'This upload has expired. Start it again.',
  'unauthenticated': 'Sign in again to upload.',
  forbidden: 'You are not allowed to upload this file.',
  'file-too-large': 'This file is larger than the server allows.',
  'file-too-small': 'This file is smaller than the server allows.',
  'type-not-allowed': 'The server does not accept this type of file.',
  'integrity-mismatch': 'The stored file did not match what was sent. Retry the upload.',
  'source-error': 'The file could not be read. It may have been moved or changed.',
  'checkpoint-error': 'Progress could not be saved in this browser.',
  aborted: 'The upload was cancelled.',
};

/**
 * A sentence for people about a {@link TesseraError}: a plain explanation for the codes users meet, the
 * error's own message otherwise.
 *
 * @example
 * ```ts
 * describeError(new TesseraError('fingerprint-mismatch', '…')) // 'This is not the file the upload started with. …'
 * ```
 */
export function describeError(error: TesseraError): string {
  return MESSAGES[error.code] ?? error.message;
}
