export type { TesseraErrorCode, TesseraErrorOptions } from './errors.js';
export { isTesseraError, TesseraError } from './errors.js';
export { base64ToHex, hexToBase64, multipartEtag, normalizeEtag } from './logic/integrity.js';
export type { PartPlan, PartPlanOptions } from './logic/planParts.js';
export { DEFAULT_PART_SIZE, partRange, planPartSize, planParts, S3_LIMITS } from './logic/planParts.js';
export type {
  AbortUploadResponse,
  CompleteUploadRequest,
  CompleteUploadResponse,
  CreateUploadRequest,
  CreateUploadResponse,
  ErrorResponse,
  ListPartsResponse,
  PartChecksumAlgorithm,
  SignedPart,
  SignPartRequest,
  SignPartsRequest,
  SignPartsResponse,
  UploadedPart,
} from './protocol.js';
export { PROTOCOL_VERSION, UPLOAD_TOKEN_HEADER } from './protocol.js';
