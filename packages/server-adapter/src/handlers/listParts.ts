import type { ListPartsResponse } from '@tessera/core';
import { type HandlerContext, requireNotCompleted, requireUpload } from '../context.js';

/** `GET v1/uploads/:uploadId/parts`: the parts the store holds, the truth a resume starts from. */
export async function listParts(context: HandlerContext, uploadId: string): Promise<ListPartsResponse> {
  const claims = await requireUpload(context, uploadId);
  const [parts] = await Promise.all([
    context.gateway.listParts({ key: claims.key, uploadId }),
    requireNotCompleted(context, claims),
  ]);
  return {
    uploadId,
    key: claims.key,
    partSize: claims.partSize,
    partCount: claims.partCount,
    size: claims.size,
    parts: parts.map(({ partNumber, size, etag }) => ({ partNumber, size, etag })),
  };
}
