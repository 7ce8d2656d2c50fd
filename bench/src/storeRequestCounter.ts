/**
 * Counts the HTTP requests an S3 client sends, by S3 operation: the handler's own client gets a request
 * handler that counts each request (SDK retries and every ListParts page included) and passes it on to the
 * SDK's default one. Presigned URLs are computed, never sent, so they count nothing.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** The S3 operations the handler sends, told apart by method and query as S3 itself does. */
export const STORE_OPERATIONS = [
  'CreateMultipartUpload',
  'UploadPart',
  'ListParts',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListMultipartUploads',
  'ListObjectsV2',
  'HeadObject',
  'GetObject',
  'PutObject',
  'DeleteObject',
] as const;
export type StoreOperation = (typeof STORE_OPERATIONS)[number];

/**
 * S3's request classes for its per-prefix rates: 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD per second.
 * The rest (HEAD, GET, ListParts, ListObjectsV2, ListMultipartUploads) are GETs and HEADs.
 */
export const WRITE_CLASS: ReadonlySet<StoreOperation> = new Set([
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'PutObject',
  'DeleteObject',
]);

export type StoreRequestCounts = Partial<Record<StoreOperation, number>>;

/** The part of a request the SDK hands its request handler that says which operation it is. */
interface SentRequest {
  method: string;
  query?: Record<string, unknown>;
}

export function storeOperationOf({ method, query = {} }: SentRequest): StoreOperation {
  const upload = 'uploadId' in query;
  switch (method.toUpperCase()) {
    case 'POST':
      return upload ? 'CompleteMultipartUpload' : 'CreateMultipartUpload';
    case 'PUT':
      return upload ? 'UploadPart' : 'PutObject';
    case 'DELETE':
      return upload ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'HEAD':
      return 'HeadObject';
    default:
      if (upload) return 'ListParts';
      if ('uploads' in query) return 'ListMultipartUploads';
      return 'list-type' in query ? 'ListObjectsV2' : 'GetObject';
  }
}

export class StoreRequestCounter {
  private readonly counts = new Map<StoreOperation, number>();

  count(operation: StoreOperation): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  snapshot(): StoreRequestCounts {
    return Object.fromEntries(this.counts);
  }

  /** Requests per call since `before`, over `calls` calls. */
  perCallSince(before: StoreRequestCounts, calls: number): StoreRequestCounts {
    const perCall: StoreRequestCounts = {};
    for (const operation of STORE_OPERATIONS) {
      const sent = (this.counts.get(operation) ?? 0) - (before[operation] ?? 0);
      if (sent > 0) perCall[operation] = sent / calls;
    }
    return perCall;
  }
}

/** `config` with a request handler that counts into `counter` what the SDK's default handler then sends. */
export function countingS3Config(config: S3ClientConfig, counter: StoreRequestCounter): S3ClientConfig {
  // The SDK's own default handler, as a client built from this config would get it.
  const inner = new S3Client(config).config.requestHandler;
  type Handle = typeof inner.handle;
  const delegate = inner as unknown as {
    updateHttpClientConfig?: (key: never, value: never) => void;
    httpHandlerConfigs?: () => object;
  };
  const handler = {
    metadata: inner.metadata,
    handle: ((request: SentRequest, options) => {
      counter.count(storeOperationOf(request));
      return inner.handle(request, options);
    }) as Handle,
    updateHttpClientConfig: (key: never, value: never) => delegate.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => delegate.httpHandlerConfigs?.() ?? {},
    destroy: () => inner.destroy?.(),
  };
  return { ...config, requestHandler: handler };
}
