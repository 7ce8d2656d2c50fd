/**
 * What the test page exposes on `window.tesseraPage`, shared by the page (which implements it) and the
 * Node-side tests (which call it through `page.evaluate`).
 */
import type {
  CompleteUploadRequest,
  CompleteUploadResponse,
  CreateUploadRequest,
  CreateUploadResponse,
  SignedPart,
  SignPartRequest,
} from '@tessera/core';
import type { EngineDriver } from './engineDriver.js';

/** Options of {@link TesseraPage.rawUpload}. */
export interface RawUploadOptions {
  /** Where the upload handler is mounted, e.g. `'/api/uploads'`. */
  endpoint: string;
  /** Part PUTs in flight at once. */
  concurrency: number;
  /**
   * Parts per sign request (capped by the upload's `maxSignBatch`).
   * @default concurrency
   */
  signBatch?: number;
}

/** What {@link TesseraPage.rawUpload} measured. */
export interface RawUploadResult {
  key: string;
  size: number;
  /** The stored object's ETag as complete answered it (`<md5>-<parts>`). */
  etag: string;
  partCount: number;
  /** Sign requests made. */
  signRequests: number;
  /** Wall time from create to complete, in milliseconds. */
  ms: number;
  /** Time spent reading and hashing parts (on the main thread, overlapping the PUTs), in milliseconds. */
  hashMs: number;
  /** Time the complete call took (the store assembles the object), in milliseconds. */
  completeMs: number;
  /** Body bytes of the part PUTs that succeeded. */
  bytesSent: number;
}

/** The upload protocol, one call per operation; every failure (HTTP or network) throws. */
export interface PageProtocol {
  createUpload(endpoint: string, request: CreateUploadRequest): Promise<CreateUploadResponse>;
  signParts(endpoint: string, upload: CreateUploadResponse, parts: SignPartRequest[]): Promise<SignedPart[]>;
  /** PUTs `body` to the presigned URL with its headers; returns the ETag the store answered. */
  putPart(part: SignedPart, body: Blob): Promise<string>;
  completeUpload(
    endpoint: string,
    upload: CreateUploadResponse,
    request: CompleteUploadRequest,
  ): Promise<CompleteUploadResponse>;
  abortUpload(endpoint: string, upload: CreateUploadResponse): Promise<void>;
}

/** The outcome of one `fetch`, serialisable across `page.evaluate`. */
export type FetchOutcome = { ok: true; status: number } | { ok: false; error: string };

/** `window.tesseraPage`. */
export interface TesseraPage {
  /** The engine under test (`@tessera/core` with its browser defaults); set once {@link ready}. */
  engine?: EngineDriver;
  /** Settles once every entry point has loaded; rejects if one failed. */
  ready: Promise<void>;
  /** `true` once {@link ready} resolved (for `waitForFunction`). */
  isReady: boolean;
  /** The file picked into `<input id="file">`; throws when none is. */
  pickedFile(): File;
  /** Baseline uploader without the library: MD5 per part, batched signing, Blob-slice PUTs. */
  rawUpload(options: RawUploadOptions): Promise<RawUploadResult>;
  protocol: PageProtocol;
  /** Base64 MD5 of a Blob, computed on the page's main thread. */
  md5Base64(blob: Blob): Promise<string>;
  /** Base64 MD5 of a Blob, computed in a module worker (proves the bundle's worker support). */
  md5Base64InWorker(blob: Blob): Promise<string>;
  /** `fetch(url)` without throwing: whether it got an answer, and which. */
  tryFetch(url: string, init?: RequestInit): Promise<FetchOutcome>;
}

declare global {
  interface Window {
    tesseraPage: TesseraPage;
  }
}
