export type { AbortStaleUploadsOptions } from './abortStaleUploads.js';
export { abortStaleUploads } from './abortStaleUploads.js';
export type { ResolvedPolicy } from './context.js';
export { DEFAULT_POLICY } from './context.js';
export type { NextRouteHandlers } from './next.js';
export { createNextRouteHandlers } from './next.js';
export { createNodeListener } from './node.js';
export type { UploadHandler, UploadHandlerOptions } from './router.js';
export { createUploadHandler } from './router.js';
export { defaultObjectKey, safeKeySegment } from './s3/objectKey.js';
export type { S3ClientConfig } from './s3/s3Gateway.js';
export { createS3Gateway } from './s3/s3Gateway.js';
export { UploadTokens } from './token.js';
export type { CorsOptions } from './cors.js';
export type {
  CompletedUpload,
  ObjectKeyInput,
  PendingUpload,
  PresignedRequest,
  S3Gateway,
  StartedUpload,
  StoredObject,
  StoredPart,
  StoredRecord,
  UploadIdentity,
  UploadPolicy,
  UploadTokenClaims,
} from './types.js';
