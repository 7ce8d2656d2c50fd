import { UploadTokens } from '../src/token.js';
import type { MemoryGateway } from './memoryGateway.js';

/** The object key of {@link twoPartUpload}'s upload. */
export const TWO_PART_KEY = 'uploads/ada/o1/talk.webm';
/** Its two parts' bytes (4 + 3, parts of 4 bytes). */
export const TWO_PART_DATA = ['abcd', 'efg'] as const;

/**
 * An upload of ada's as create would have started it, on `gateway`: its token (signed with `secret`, valid
 * for an hour from `time`) and both parts stored, with their ETags.
 */
export async function twoPartUpload(gateway: MemoryGateway, secret: string, time: number) {
  const { uploadId } = await gateway.createMultipartUpload({
    key: TWO_PART_KEY,
    contentType: 'video/webm',
    metadata: { 'tessera-upload': 'o1' },
    checksumAlgorithm: 'md5',
  });
  const token = await new UploadTokens(secret).sign({
    uploadId,
    key: TWO_PART_KEY,
    objectId: 'o1',
    userId: 'ada',
    size: 7,
    maxSize: 7,
    minSize: 1,
    partSize: 4,
    partCount: 2,
    contentType: 'video/webm',
    sha256: null,
    checksumAlgorithm: 'md5',
    expiresAt: time / 1000 + 3600,
  });
  const etags = [];
  for (const [index, data] of TWO_PART_DATA.entries()) etags.push(await gateway.putPart(uploadId, index + 1, data));
  return { uploadId, token, etags };
}
