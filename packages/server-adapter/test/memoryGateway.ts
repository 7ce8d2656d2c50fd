/**
 * An in-memory S3Gateway with the multipart semantics of two real stores, for exploring races in unit
 * tests. Every operation yields at `tick()` before each of its steps, so a test scheduler (fast-check's
 * `fc.scheduler()`) can interleave concurrent requests step by step.
 *
 * - `aws`: complete and abort are atomic; once completed, the object is a copy of its parts, and the
 *   upload is gone for UploadPart, ListParts, Complete and Abort (NoSuchUpload).
 * - `swift` (OpenStack Swift's s3api, as read from its source): parts are segments the object keeps
 *   referring to; complete checks the upload, validates the segments one by one, writes the manifest, then
 *   deletes the upload's marker; abort deletes the marker, then the segments one by one. A completed upload
 *   still answers ListParts and accepts UploadPart (which replaces a segment of the object) and Complete. Of
 *   two completes writing the manifest at once, the one that writes second fails (a store error: seen on the
 *   real store as a 502 of one of six racing completes), though the object is whole.
 */
import { createHash } from 'node:crypto';
import { multipartEtag, TesseraError } from '@tessera/core';
import type { PendingUpload, S3Gateway, StoredObject, StoredPart, StoredRecord } from '../src/types.js';

export type StoreSemantics = 'aws' | 'swift';

interface Segment {
  etag: string;
  data: string;
}

interface Upload {
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiated: Date;
  parts: Map<number, Segment>;
  /** Swift's marker object: present while the upload is open. */
  open: boolean;
}

interface ObjectEntry {
  metadata: Record<string, string>;
  etag: string;
  size: number;
  uploadId: string;
  /** aws: the bytes, copied at complete; swift: the manifest, read through the segments. */
  data?: string;
  manifest?: Array<{ partNumber: number; etag: string }>;
}

export interface MemoryGateway extends S3Gateway {
  /** PUT a part as a presigned URL would (the store's own rules, no signature). */
  putPart(uploadId: string, partNumber: number, data: string): Promise<string>;
  /** The object's bytes, or `'broken'` when a segment it refers to is gone or changed, or `null`. */
  readObject(key: string): string | null | 'broken';
  /** Keys of the records (intents) the gateway holds. */
  recordKeys(): string[];
  /** Open uploads, for side-effect checks. */
  openUploads(): string[];
}

const md5Hex = (data: string | Uint8Array) => createHash('md5').update(data).digest('hex');

function noSuchUpload(): TesseraError {
  return new TesseraError('upload-not-found', 'the store has no such upload (completed, aborted or expired)');
}

export function createMemoryGateway(options: {
  semantics: StoreSemantics;
  now: () => number;
  tick?: () => Promise<void>;
}): MemoryGateway {
  const { semantics, now } = options;
  const tick = options.tick ?? (() => Promise.resolve());
  const uploads = new Map<string, Upload>();
  const objects = new Map<string, ObjectEntry>();
  const records = new Map<string, StoredRecord>();
  let nextId = 1;
  // Swift: manifests written per upload so far, to fail one written while another was being written.
  const manifests = new Map<string, number>();

  const completedBy = (upload: Upload, uploadId: string) => objects.get(upload.key)?.uploadId === uploadId;
  function usable(uploadId: string): Upload {
    const upload = uploads.get(uploadId);
    if (!upload) throw noSuchUpload();
    if (upload.open || (semantics === 'swift' && completedBy(upload, uploadId))) return upload;
    throw noSuchUpload();
  }

  return {
    async createMultipartUpload({ key, contentType, metadata }) {
      await tick();
      const uploadId = `upload-${nextId++}`;
      uploads.set(uploadId, { key, contentType, metadata, initiated: new Date(now()), parts: new Map(), open: true });
      return { uploadId };
    },

    async presignUploadPart({ uploadId, partNumber, checksum }) {
      const headers: Record<string, string> = checksum ? { 'content-md5': checksum } : {};
      return { url: `memory://${uploadId}/${partNumber}`, headers };
    },

    async putPart(uploadId, partNumber, data) {
      await tick();
      const upload = usable(uploadId);
      const etag = md5Hex(data);
      upload.parts.set(partNumber, { etag, data });
      return etag;
    },

    async listParts({ uploadId }) {
      await tick();
      const upload = usable(uploadId);
      return [...upload.parts.entries()]
        .sort(([a], [b]) => a - b)
        .map(([partNumber, part]): StoredPart => ({ partNumber, size: part.data.length, etag: part.etag }));
    },

    async completeMultipartUpload({ key, uploadId, parts }) {
      await tick();
      const upload = usable(uploadId);
      const etag = multipartEtag(
        parts.map((part) => part.etag),
        (bytes) => md5Hex(bytes),
      );
      if (semantics === 'swift') {
        if (completedBy(upload, uploadId) && objects.get(key)?.etag === etag) return { etag };
        const writtenBefore = manifests.get(uploadId) ?? 0;
        let size = 0;
        for (const part of parts) {
          await tick();
          const segment = upload.parts.get(part.partNumber);
          if (!segment || segment.etag !== part.etag) {
            throw new TesseraError('etag-mismatch', `InvalidPart ${part.partNumber}`);
          }
          size += segment.data.length;
        }
        await tick();
        if ((manifests.get(uploadId) ?? 0) !== writtenBefore) {
          throw new TesseraError('store-error', 'the store failed to complete the upload (a newer manifest)', {
            retryable: true,
          });
        }
        manifests.set(uploadId, writtenBefore + 1);
        objects.set(key, {
          metadata: upload.metadata,
          etag,
          size,
          uploadId,
          manifest: parts.map(({ partNumber, etag: partEtag }) => ({ partNumber, etag: partEtag })),
        });
        await tick();
        upload.open = false;
        return { etag };
      }
      const data = parts
        .map((part) => {
          const segment = upload.parts.get(part.partNumber);
          if (!segment || segment.etag !== part.etag) {
            throw new TesseraError('etag-mismatch', `InvalidPart ${part.partNumber}`);
          }
          return segment.data;
        })
        .join('');
      objects.set(key, { metadata: upload.metadata, etag, size: data.length, uploadId, data });
      upload.open = false;
      upload.parts.clear();
      return { etag };
    },

    async abortMultipartUpload({ uploadId }) {
      await tick();
      const upload = uploads.get(uploadId);
      if (!upload?.open) throw noSuchUpload();
      upload.open = false;
      if (semantics === 'aws') {
        upload.parts.clear();
        return;
      }
      for (const partNumber of [...upload.parts.keys()]) {
        await tick();
        upload.parts.delete(partNumber);
      }
    },

    async headObject({ key }): Promise<StoredObject | null> {
      await tick();
      const object = objects.get(key);
      return object ? { etag: object.etag, size: object.size, metadata: { ...object.metadata } } : null;
    },

    async *listMultipartUploads({ prefix }): AsyncIterable<PendingUpload> {
      for (const [uploadId, upload] of uploads) {
        if (upload.open && upload.key.startsWith(prefix ?? '')) yield { key: upload.key, uploadId, initiated: upload.initiated };
      }
    },

    async putRecord({ key, body }) {
      await tick();
      records.set(key, { body, lastModified: new Date(now()) });
    },

    async getRecord({ key }) {
      await tick();
      return records.get(key) ?? null;
    },

    async deleteRecord({ key }) {
      await tick();
      records.delete(key);
    },

    async listRecords({ prefix }) {
      await tick();
      return [...records.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, record]) => ({ key, lastModified: record.lastModified }));
    },

    readObject(key) {
      const object = objects.get(key);
      if (!object) return null;
      if (object.data !== undefined) return object.data;
      const upload = uploads.get(object.uploadId);
      let data = '';
      for (const { partNumber, etag } of object.manifest ?? []) {
        const segment = upload?.parts.get(partNumber);
        if (!segment || segment.etag !== etag) return 'broken';
        data += segment.data;
      }
      return data;
    },

    recordKeys: () => [...records.keys()],
    openUploads: () => [...uploads.entries()].filter(([, upload]) => upload.open).map(([id]) => id),
  };
}
