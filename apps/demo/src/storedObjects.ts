import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { safeKeySegment } from '@tessera/server-adapter';
import { type DemoStore, demoStore } from './demoConfig.js';
import { storeClientConfig } from './demoHandlerOptions.js';

/** One completed upload of the signed-in user, with short-lived links to play and download it. */
export interface StoredObject {
  key: string;
  /** The file name (the key's last segment). */
  name: string;
  size: number;
  contentType: string;
  lastModified: string;
  /** Whole-file SHA-256 (hex) the browser computed, when it sent one. */
  sha256: string | null;
  /** Presigned GET (the store serves range requests, so a `<video>` seeks). */
  url: string;
  /** Presigned GET answered with `Content-Disposition: attachment`. */
  downloadUrl: string;
}

/** How long the presigned links live, in seconds. */
export const LINK_TTL_SECONDS = 15 * 60;

/** The key prefix of `user`'s uploads: the server adapter's default `uploads/<user>/<id>/<name>`. */
export function userPrefix(user: string): string {
  return `uploads/${safeKeySegment(user, 100)}/`;
}

let cached: { store: DemoStore; client: S3Client } | undefined;

function storeClient(): { store: DemoStore; client: S3Client } {
  const store = demoStore();
  if (cached?.store.endpoint !== store.endpoint) {
    cached = {
      store,
      client: new S3Client({
        ...storeClientConfig(store),
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    };
  }
  return cached;
}

function base64ToHex(base64: string | undefined): string | null {
  return base64 ? Buffer.from(base64, 'base64').toString('hex') : null;
}

/**
 * The completed objects of `user`, newest first: ListObjectsV2 under {@link userPrefix} (the server keeps
 * no database), a HEAD each for its type and checksum, and presigned GET links.
 */
export async function listStoredObjects(user: string, limit = 100): Promise<StoredObject[]> {
  const { store, client } = storeClient();
  const listed = await client.send(
    new ListObjectsV2Command({ Bucket: store.bucket, Prefix: userPrefix(user), MaxKeys: limit }),
  );
  const contents = (listed.Contents ?? []).filter((item) => item.Key !== undefined);
  const objects = await Promise.all(
    contents.map(async (item): Promise<StoredObject> => {
      const key = item.Key as string;
      const name = key.slice(key.lastIndexOf('/') + 1);
      const head = await client.send(new HeadObjectCommand({ Bucket: store.bucket, Key: key }));
      const sign = (extra: Partial<ConstructorParameters<typeof GetObjectCommand>[0]>) =>
        getSignedUrl(client, new GetObjectCommand({ Bucket: store.bucket, Key: key, ...extra }), {
          expiresIn: LINK_TTL_SECONDS,
        });
      return {
        key,
        name,
        size: item.Size ?? head.ContentLength ?? 0,
        contentType: head.ContentType ?? 'application/octet-stream',
        lastModified: (item.LastModified ?? head.LastModified ?? new Date(0)).toISOString(),
        sha256: base64ToHex(head.Metadata?.sha256),
        url: await sign({}),
        downloadUrl: await sign({ ResponseContentDisposition: `attachment; filename="${name.replace(/"/g, '')}"` }),
      };
    }),
  );
  return objects.sort((a, b) => b.lastModified.localeCompare(a.lastModified));
}
