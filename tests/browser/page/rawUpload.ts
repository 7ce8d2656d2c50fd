/**
 * The baseline contender: a plain multipart loop with no library. One producer reads each part once to
 * compute its Content-MD5 and signs parts in batches, staying a bounded distance ahead of `concurrency`
 * lanes that PUT the Blob slices themselves and read their ETags; then complete.
 */
import type { SignedPart, SignPartRequest } from '@tessera/core';
import { md5Base64 } from './md5.js';
import type { RawUploadOptions, RawUploadResult } from './pageTypes.js';
import { protocol } from './protocol.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((done, fail) => {
    resolve = done;
    reject = fail;
  });
  promise.catch(() => undefined); // a part nobody claims after a failure must not be an unhandled rejection
  return { promise, resolve, reject };
}

/** Upload `file` through the protocol at `options.endpoint`; rejects (after aborting) on the first failure. */
export async function rawUpload(file: File, options: RawUploadOptions): Promise<RawUploadResult> {
  const { endpoint, concurrency } = options;
  const started = performance.now();
  const upload = await protocol.createUpload(endpoint, {
    fileName: file.name,
    contentType: file.type,
    size: file.size,
  });
  const { partSize } = upload;
  const partCount = upload.partCount ?? Math.max(1, Math.ceil(file.size / partSize));
  const batchSize = Math.max(1, Math.min(options.signBatch ?? concurrency, upload.maxSignBatch));
  // Signed URLs are ready at most this many parts ahead of the lanes (URLs expire; hashing is not free).
  const lookahead = concurrency + batchSize;
  const slice = (partNumber: number) =>
    file.slice((partNumber - 1) * partSize, Math.min(partNumber * partSize, file.size));

  const signed = Array.from({ length: partCount }, () => deferred<SignedPart>());
  let claimed = 0;
  let wakeProducer: (() => void) | undefined;
  let failed = false;
  let signRequests = 0;
  let bytesSent = 0;
  let hashMs = 0;
  const fail = (error: unknown): never => {
    failed = true;
    for (const part of signed) part.reject(error); // settled ones ignore it
    wakeProducer?.();
    throw error;
  };

  async function produce(): Promise<void> {
    try {
      for (let first = 1; first <= partCount && !failed; first += batchSize) {
        while (first - 1 - claimed >= lookahead && !failed) await new Promise<void>((wake) => (wakeProducer = wake));
        const batch: SignPartRequest[] = [];
        for (let partNumber = first; partNumber < first + batchSize && partNumber <= partCount; partNumber++) {
          const body = slice(partNumber);
          const hashStarted = performance.now();
          batch.push({ partNumber, size: body.size, checksum: await md5Base64(body) });
          hashMs += performance.now() - hashStarted;
        }
        signRequests++;
        const parts = await protocol.signParts(endpoint, upload, batch);
        for (const part of parts) signed[part.partNumber - 1]?.resolve(part);
      }
    } catch (error) {
      fail(error);
    }
  }

  const etags: Array<{ partNumber: number; etag: string }> = [];
  async function lane(): Promise<void> {
    while (!failed && claimed < partCount) {
      const partNumber = ++claimed;
      wakeProducer?.();
      const part = await (signed[partNumber - 1] as Deferred<SignedPart>).promise;
      const body = slice(partNumber);
      try {
        etags.push({ partNumber, etag: await protocol.putPart(part, body) });
      } catch (error) {
        fail(error);
      }
      bytesSent += body.size;
    }
  }

  try {
    await Promise.all([produce(), ...Array.from({ length: Math.max(1, concurrency) }, lane)]);
  } catch (error) {
    await protocol.abortUpload(endpoint, upload).catch(() => undefined);
    throw error;
  }
  etags.sort((a, b) => a.partNumber - b.partNumber);
  const completeStarted = performance.now();
  const done = await protocol.completeUpload(endpoint, upload, { parts: etags, size: file.size });
  const completeMs = performance.now() - completeStarted;
  return {
    key: done.key,
    size: done.size,
    etag: done.etag,
    partCount: done.partCount,
    signRequests,
    ms: performance.now() - started,
    hashMs,
    completeMs,
    bytesSent,
  };
}
