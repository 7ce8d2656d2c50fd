/** How each contender is wired, printed under the report's header so a table is never read without it. */
export const CONTENDER_NOTES: readonly string[] = [
  'Contenders (one fresh Chromium each, same store, file, part size and concurrency unless noted):',
  '- **raw**: the floor. The bench app creates the upload and presigns every UploadPart URL in Node (no checksum); the page PUTs `file.slice()` Blobs with plain fetch in `concurrency` lanes; then complete. No hashing, no state, no retries.',
  '- **tessera**: `createUpload({ source: file, endpoint, concurrency })` with its browser defaults (XHR PUTs, MD5 + whole-file SHA-256 in a worker, IndexedDB checkpoints) through the real route handler. Checksums cannot be turned off, so there is no "checksums off" run.',
  '- **uppy**: `@uppy/core` + `@uppy/aws-s3` 6.3 with `signRequest`, answered by a bench signer in Node (no checksum: Uppy 6 never hands the part bytes to the signer, and its API has no part-level callbacks, so it cannot use Tessera\'s handler). Uppy 6 uploads one file\'s parts one after another, so concurrency does not apply to it. Its create/complete calls go through a same-origin proxy because the store answers them without CORS headers.',
  '- **lib-storage**: `@aws-sdk/lib-storage` `Upload` in the page with the local store\'s test credentials; **evaporate**: Evaporate 2.1.4 with SigV4 signed in the page (Web Crypto) and its required per-part MD5 (hash-wasm, on the main thread). Both call the store\'s CORS-less multipart operations from the page, so their Chromium runs with `--disable-web-security`.',
];
