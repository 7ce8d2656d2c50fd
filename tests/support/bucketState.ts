/** What a bucket holds, for before/after comparisons of tests that must leave no trace. */
import { ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/**
 * Every open multipart upload (`upload <key> <uploadId>`) and every object (`object <key> <etag>`, the
 * handler's intent records under `.tessera/intents/` included) in `bucket`, all pages, sorted.
 */
export async function bucketState(s3: S3Client, bucket: string): Promise<string[]> {
  const lines: string[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
    );
    for (const upload of page.Uploads ?? []) lines.push(uploadLine(upload.Key ?? '', upload.UploadId ?? ''));
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
  let continuation: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: continuation }));
    for (const object of page.Contents ?? []) lines.push(objectLine(object.Key ?? '', object.ETag ?? ''));
    continuation = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuation);
  return lines.sort();
}

export const uploadLine = (key: string, uploadId: string) => `upload ${key} ${uploadId}`;
export const objectLine = (key: string, etag: string) => `object ${key} ${etag.replace(/"/g, '')}`;
