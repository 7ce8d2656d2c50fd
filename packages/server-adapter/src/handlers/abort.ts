import { type AbortUploadResponse, TesseraError } from '@tessera/core';
import { type HandlerContext, requireNotCompleted, requireUpload } from '../context.js';
import { abortSafely } from '../abortSafely.js';

/**
 * `DELETE v1/uploads/:uploadId`: abort an open upload; the store frees its parts. A completed upload is
 * never touched (`upload-completed`), nor one a complete is assembling right now (`upload-busy`).
 */
export async function abortUpload(context: HandlerContext, uploadId: string): Promise<AbortUploadResponse> {
  const claims = await requireUpload(context, uploadId);
  // Cheap and common: most aborts of a completed upload are refused without writing anything.
  await requireNotCompleted(context, claims);
  const outcome = await abortSafely(context.gateway, context.intentPrefix, claims, context.now, {
    completed: () => requireNotCompleted(context, claims).then(() => false),
    report: context.report,
  });
  if (outcome === 'completing') {
    throw new TesseraError('upload-busy', 'this upload is being completed', { retryable: true });
  }
  return { aborted: true };
}
