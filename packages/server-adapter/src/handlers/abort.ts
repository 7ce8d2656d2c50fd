import type { AbortUploadResponse } from '@tessera/core';
import { type HandlerContext, requireOpen, requireUpload } from '../context.js';

/** `DELETE v1/uploads/:uploadId`: abort an open upload; the store frees its parts. */
export async function abortUpload(context: HandlerContext, uploadId: string): Promise<AbortUploadResponse> {
  const claims = await requireUpload(context, uploadId);
  // Never abort a completed upload: some stores would delete the segments the object is made of.
  await requireOpen(context, claims);
  await context.gateway.abortMultipartUpload({ key: claims.key, uploadId });
  return { aborted: true };
}
