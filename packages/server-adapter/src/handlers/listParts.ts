import type { ListPartsResponse } from '@tessera/core';
import { type HandlerContext, requireNotCompleted, requireUpload } from '../context.js';

/**
 * `GET v1/uploads/:uploadId/parts`: the parts the store holds, the truth a resume starts from. A completed
 * upload answers `upload-completed`, whatever the store says of its parts: S3 forgets a completed upload
 * (NoSuchUpload), and a client told `upload-not-found` would take the upload for aborted and send the file
 * again; Swift still lists the parts.
 */
export async function listParts(context: HandlerContext, uploadId: string): Promise<ListPartsResponse> {
  const claims = await requireUpload(context, uploadId);
  const completed = requireNotCompleted(context, claims);
  // Awaited below on every path; until then its rejection must not count as unhandled.
  completed.catch(() => undefined);
  const parts = await context.gateway.listParts({ key: claims.key, uploadId }).catch(async (error: unknown) => {
    await completed;
    throw error;
  });
  await completed;
  return {
    uploadId,
    key: claims.key,
    partSize: claims.partSize,
    partCount: claims.partCount,
    size: claims.size,
    parts: parts.map(({ partNumber, size, etag }) => ({ partNumber, size, etag })),
  };
}
