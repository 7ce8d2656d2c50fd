/**
 * The JSON wire protocol between the browser engine and `@tessera/server-adapter`. Paths are relative
 * to the route the handler is mounted on (e.g. `/api/uploads`). Every call after `create` carries the
 * upload token in the {@link UPLOAD_TOKEN_HEADER} header.
 *
 * | operation | method and path                       | body                    | answer                  |
 * |-----------|---------------------------------------|-------------------------|-------------------------|
 * | create    | `POST   v1/uploads`                   | {@link CreateUploadRequest}   | {@link CreateUploadResponse} (201) |
 * | sign      | `POST   v1/uploads/:uploadId/sign`     | {@link SignPartsRequest}      | {@link SignPartsResponse}     |
 * | list      | `GET    v1/uploads/:uploadId/parts`    | –                       | {@link ListPartsResponse}     |
 * | complete  | `POST   v1/uploads/:uploadId/complete` | {@link CompleteUploadRequest} | {@link CompleteUploadResponse} |
 * | abort     | `DELETE v1/uploads/:uploadId`          | –                       | {@link AbortUploadResponse}   |
 */
import type { TesseraErrorCode } from './errors.js';

/** Version segment of every protocol path. */
export const PROTOCOL_VERSION = 'v1';

/** Header that carries the upload token on every call after create. */
export const UPLOAD_TOKEN_HEADER = 'x-tessera-upload-token';

/** A digest a part's checksum can be: see {@link PartChecksumAlgorithm}. */
export type PartDigestAlgorithm = 'md5' | 'sha256';

/**
 * How each part's checksum is bound into its presigned URL so the store itself rejects corrupted bytes.
 * `md5` (Content-MD5) is enforced by AWS S3 and every S3-compatible store tested; `sha256`
 * (x-amz-checksum-sha256) by AWS S3 and stores that implement additional checksums. `none` binds only the
 * part's length: the client hashes nothing, the store checks nothing but TCP's and TLS's own checks, and
 * the object's ETag cannot be checked against the file.
 */
export type PartChecksumAlgorithm = PartDigestAlgorithm | 'none';

/** Body of `POST v1/uploads`. */
export interface CreateUploadRequest {
  /** The file's name as the user knows it (no path). The server decides the object key. */
  fileName: string;
  /** MIME type; an empty string (what browsers give for unknown types) means `application/octet-stream`. */
  contentType: string;
  /** Total size in bytes. Omit for a growing source (a recording) whose size is known only at the end. */
  size?: number;
  /**
   * Whole-file SHA-256, base64, when known up front. Stored as object metadata (`x-amz-meta-sha256`); complete
   * refuses a different `sha256`. The server never sees the bytes, so it cannot check the digest against them.
   */
  sha256?: string;
}

/** Answer to create. */
export interface CreateUploadResponse {
  uploadId: string;
  /** The object key the server chose. */
  key: string;
  /** Size of every part but the last. */
  partSize: number;
  /** Number of parts, or `null` for a growing source. */
  partCount: number | null;
  /** Declared size, or `null` for a growing source. */
  size: number | null;
  /** Signed, stateless token binding this upload to the user who created it. */
  token: string;
  /** ISO time after which the token is refused. */
  tokenExpiresAt: string;
  /** The checksum each sign request must carry per part. */
  checksumAlgorithm: PartChecksumAlgorithm;
  /** Most parts one sign request may ask for. */
  maxSignBatch: number;
}

/** One part to presign. */
export interface SignPartRequest {
  /** 1-based part number. */
  partNumber: number;
  /** Exact byte length of the part; bound into the signature. */
  size: number;
  /** Base64 digest of the part's bytes with the upload's {@link PartChecksumAlgorithm}; `''` for `none`. */
  checksum: string;
}

/** Body of `POST v1/uploads/:uploadId/sign`. */
export interface SignPartsRequest {
  parts: SignPartRequest[];
}

/** A presigned UploadPart request: PUT the part's bytes to `url` with exactly these headers. */
export interface SignedPart {
  partNumber: number;
  url: string;
  /** Headers that are part of the signature (e.g. `content-md5`); send them unchanged. */
  headers: Record<string, string>;
  /** ISO time after which the store refuses the URL. */
  expiresAt: string;
}

/** Answer to sign. */
export interface SignPartsResponse {
  parts: SignedPart[];
}

/** A part the store holds. */
export interface UploadedPart {
  partNumber: number;
  size: number;
  /** ETag as the store reports it, without quotes. */
  etag: string;
}

/** Answer to `GET v1/uploads/:uploadId/parts`: the store's view, the source of truth for resume. */
export interface ListPartsResponse {
  uploadId: string;
  key: string;
  partSize: number;
  partCount: number | null;
  size: number | null;
  parts: UploadedPart[];
}

/** Body of `POST v1/uploads/:uploadId/complete`. */
export interface CompleteUploadRequest {
  /** Every part, with the ETag the store returned for it. */
  parts: Array<{ partNumber: number; etag: string }>;
  /** Final size; required for a growing source, checked against the declared size otherwise. */
  size?: number;
  /**
   * Whole-file SHA-256 (base64) the client computed; must equal the one declared at create, if any. It is the
   * client's word: the server passes it to `onComplete` but cannot check it against the bytes.
   */
  sha256?: string;
}

/** Answer to complete. */
export interface CompleteUploadResponse {
  key: string;
  size: number;
  /** The stored object's ETag (for multipart objects `<md5 of part md5s>-<part count>`), without quotes. */
  etag: string;
  partCount: number;
}

/** Answer to abort. */
export interface AbortUploadResponse {
  aborted: true;
}

/** Body of every error answer. */
export interface ErrorResponse {
  error: {
    code: TesseraErrorCode;
    message: string;
    /** The request field concerned, as a dotted path, when one is. */
    field?: string;
    /** Whether the same request can succeed later (the server's word; without it, 5xx, 408 and 429 are). */
    retryable?: boolean;
  };
}
