import { TesseraError } from '../errors.js';
import type { Checkpoint } from '../logic/checkpoint.js';
import { sameFile } from '../logic/fingerprint.js';
import { base64ToHex } from '../logic/integrity.js';
import { reconcileParts } from '../logic/reconcileParts.js';
import {
  computesWholeFileSha256,
  extendParts,
  type PreparedUpload,
  type SessionDeps,
  type UploadSource,
  uploadInfoOf,
} from '../session.js';
import { fingerprintSource } from './fingerprintSource.js';
import { listStoredParts } from './listStoredParts.js';

export interface PrepareInput {
  deps: SessionDeps;
  source: UploadSource;
  /** Resume this upload instead of creating one. */
  checkpoint: Checkpoint | null;
}

/**
 * Start an upload on the server, or take up an unfinished one: the file must be the one the checkpoint
 * describes (`fingerprint-mismatch` otherwise, before anything is sent), and the store's ListParts is the
 * truth: parts it holds are kept, parts it lacks are sent again. An upload already completed whose
 * checkpoint lists every part goes on to complete again, which the server answers as before.
 */
export async function prepareUpload({ deps, source, checkpoint }: PrepareInput, signal: AbortSignal): Promise<PreparedUpload> {
  // A growing source (a recording) cannot be picked again, so it has no fingerprint: its bytes are persisted.
  const growing = source.subscribe !== undefined;
  const fingerprint = growing ? null : await fingerprintSource(source, deps.hasher);
  if (checkpoint === null) {
    // Not cancelled midway: once sent, the server may create the upload whatever this page does, so a cancel
    // waits for the answer and aborts what was created rather than leave it open in the store.
    const created = await deps.transport.create({
      fileName: source.name,
      contentType: source.type,
      ...(source.ended && { size: source.size }),
    });
    if (signal.aborted) {
      await deps.transport.abort(created).catch(() => undefined);
      throw new TesseraError('aborted', 'the upload was cancelled while it was being created');
    }
    const upload = { ...created, tokenExpiresAt: Date.parse(created.tokenExpiresAt) };
    return {
      upload,
      fingerprint,
      parts: extendParts([], upload.partSize, source),
      hashState: null,
      hashedThrough: 0,
      createdAt: deps.clock.now(),
    };
  }

  const verdict =
    checkpoint.fingerprint && fingerprint ? sameFile(checkpoint.fingerprint, fingerprint) : { same: true };
  if (!verdict.same) {
    throw new TesseraError(
      'fingerprint-mismatch',
      `this is not the file the upload started with (${'reason' in verdict ? verdict.reason : 'content'} differs)`,
    );
  }
  const upload = uploadInfoOf(checkpoint);
  const planned = extendParts([], upload.partSize, source);
  const listed = await listStoredParts(
    { transport: deps.transport, upload, checkpoint, planned, ended: source.ended },
    signal,
  );
  const { adopted, kept } = reconcileParts(
    checkpoint.parts,
    listed,
    (partNumber) => planned[partNumber - 1]?.size ?? null,
  );
  const done = new Map([...kept, ...adopted].map((part) => [part.partNumber, part]));
  // A kept part's MD5 is the Content-MD5 the store checked when it took it: the object's ETag can be checked.
  const parts = extendParts([], upload.partSize, source, done).map((part) =>
    upload.checksumAlgorithm === 'md5' && part.status === 'done' && part.checksum !== null
      ? { ...part, md5Hex: base64ToHex(part.checksum) }
      : part,
  );
  // Folding starts over from the first part when a part the store holds with bytes this client never hashed
  // lies behind it (it must be read and checked), or when a whole-file hash is wanted and the checkpoint has
  // none (it was written with the hash off).
  const sha256 = computesWholeFileSha256(deps);
  const restart =
    adopted.some((part) => part.partNumber <= checkpoint.hashedThrough) || (sha256 && checkpoint.hashState === null);
  return {
    upload,
    fingerprint,
    parts,
    hashState: sha256 && !restart ? checkpoint.hashState : null,
    hashedThrough: restart ? 0 : checkpoint.hashedThrough,
    createdAt: checkpoint.createdAt,
  };
}
