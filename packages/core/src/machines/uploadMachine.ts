import { assign, enqueueActions, fromCallback, fromPromise, sendTo, setup } from 'xstate';
import { completeUpload } from '../actors/completeUpload.js';
import { prepareUpload } from '../actors/prepareUpload.js';
import { TesseraError } from '../errors.js';
import { backoffDelay } from '../logic/backoff.js';
import { type Checkpoint, type CheckpointPart, CHECKPOINT_VERSION } from '../logic/checkpoint.js';
import type { FileFingerprint } from '../logic/fingerprint.js';
import {
  confirmPart,
  createProgress,
  type ProgressState,
  recordPartProgress,
  resetPart,
  restartRate,
} from '../logic/progress.js';
import type { CheckpointStore, PartHash } from '../ports.js';
import type { CompleteUploadResponse, SignedPart } from '../protocol.js';
import {
  computesWholeFileSha256,
  extendParts,
  type PartRecord,
  type PreparedUpload,
  type SessionDeps,
  type UploadInfo,
  type UploadSource,
  uploadInfoOf,
} from '../session.js';
import type { ControlEvent, PartEvent } from './events.js';
import { type PartInput, partMachine } from './partMachine.js';

/** Input of {@link uploadMachine}. */
export interface UploadMachineInput {
  id: string;
  /** Whose upload this is (see `Checkpoint.scope`). @default null */
  scope?: string | null;
  deps: SessionDeps;
  source: UploadSource;
  /** Resume this upload instead of creating one. */
  checkpoint?: Checkpoint | null;
}

export interface UploadContext {
  id: string;
  scope: string | null;
  deps: SessionDeps;
  source: UploadSource;
  checkpoint: Checkpoint | null;
  upload: UploadInfo | null;
  fingerprint: FileFingerprint | null;
  createdAt: number;
  parts: PartRecord[];
  /** Parts with a live part actor. */
  active: number[];
  hashState: string | null;
  /** Leading parts folded into `hashState`. */
  hashedThrough: number;
  /** The part the hashing region is reading. */
  hashing: number | null;
  progress: ProgressState;
  signFailures: number;
  /** Network-class part failures in a row (no part succeeded in between). */
  networkFailures: number;
  /** Paused with `finishInFlight`: no part starts, the ones in flight finish, then the session pauses. */
  draining: boolean;
  /** This page's hold on the upload: one page at a time sends it (`elsewhere`: another does; this one waits). */
  lock: 'pending' | 'held' | 'elsewhere';
  error: TesseraError | null;
  result: (CompleteUploadResponse & { sha256: string | null }) | null;
}

type UploadEvent = ControlEvent | PartEvent | { type: 'LOCK.HELD' } | { type: 'LOCK.ELSEWHERE' };
type CheckpointCommand = { type: 'SAVE'; checkpoint: Checkpoint } | { type: 'DELETE' };

const LIVE: PartRecord['status'][] = ['uploading', 'retrying', 'signing'];

function toError(error: unknown, fallback: string): TesseraError {
  return error instanceof TesseraError ? error : new TesseraError('internal-error', fallback, { cause: error });
}

/** The next part that needs its checksum (to be signed). */
function nextToHash(context: UploadContext): PartRecord | undefined {
  return context.parts.find((part) => part.status === 'queued');
}

/**
 * Hash ahead of the uploads (checksums only: no bytes are held): up to 2 × concurrency parts waiting for a
 * signature, and 4 × concurrency waiting in all.
 */
function canHash(context: UploadContext): boolean {
  if (context.draining || !nextToHash(context)) return false;
  const unsigned = context.parts.filter((part) => part.status === 'signing').length;
  const ready = context.parts.filter((part) => part.status === 'ready').length;
  const limit = context.deps.concurrency;
  return unsigned < 2 * limit && unsigned + ready < 4 * limit;
}

/**
 * Whether aborting may end the upload the checkpoint names: not when this session's file was refused as
 * another file (cancelling that attempt must leave the real upload resumable).
 */
function ownsCheckpoint(context: UploadContext): boolean {
  // Another page sending the upload owns it: cancelling here only stops waiting for it.
  if (context.lock !== 'held') return false;
  return context.upload !== null || context.error?.code !== 'fingerprint-mismatch';
}

function wholeFileSha256(context: UploadContext): boolean {
  return computesWholeFileSha256(context.deps);
}

/** Whether folding must compute `part`'s MD5: the hashing region did not (a part the store held at resume). */
function foldNeedsDigest(context: UploadContext, part: PartRecord): boolean {
  return context.upload?.checksumAlgorithm === 'md5' && part.md5Hex === null;
}

/** Fold the next part once the hashing region has its MD5 (so no part is hashed twice), or it is stored. */
function canFold(context: UploadContext): boolean {
  const part = context.parts[context.hashedThrough];
  return part !== undefined && (part.status === 'done' || !foldNeedsDigest(context, part));
}

/**
 * Sign in batches: wait for a full batch (2 × concurrency parts) unless a free slot would starve, nothing is
 * left to hash, or a running part waits for a fresh URL.
 */
function needsSignature(context: UploadContext): boolean {
  const waiting = context.parts.filter((part) => part.status === 'signing' && !part.signed);
  if (waiting.length === 0) return false;
  // While draining, only parts in flight that wait for a fresh URL.
  if (context.draining) return waiting.some((part) => context.active.includes(part.partNumber));
  const ready = context.parts.filter((part) => part.status === 'ready').length;
  return (
    context.active.length + ready < context.deps.concurrency ||
    waiting.length >= 2 * context.deps.concurrency ||
    !nextToHash(context) ||
    waiting.some((part) => context.active.includes(part.partNumber))
  );
}

/** The parts with `change` made to one of them; the same list when it changes nothing (no copy per event). */
function withPart(context: UploadContext, partNumber: number, change: Partial<PartRecord>): PartRecord[] {
  const index = context.parts.findIndex((part) => part.partNumber === partNumber);
  const part = context.parts[index];
  if (!part || (Object.keys(change) as Array<keyof PartRecord>).every((field) => part[field] === change[field])) {
    return context.parts;
  }
  const parts = context.parts.slice();
  parts[index] = { ...part, ...change };
  return parts;
}

// A checkpoint is written after every part, and lists every stored part: each entry is made once per part
// record, so a save allocates one array, not an object per stored part (that garbage grew with the file).
const checkpointParts = new WeakMap<PartRecord, CheckpointPart>();

function storedParts(parts: readonly PartRecord[]): CheckpointPart[] {
  const stored: CheckpointPart[] = [];
  for (const part of parts) {
    if (part.status !== 'done' || part.etag === null) continue;
    let entry = checkpointParts.get(part);
    if (!entry) {
      entry = { partNumber: part.partNumber, size: part.size, etag: part.etag, checksum: part.checksum };
      checkpointParts.set(part, entry);
    }
    stored.push(entry);
  }
  return stored;
}

/** The durable record of an upload: written after every confirmed part. */
export function checkpointOf(context: UploadContext): Checkpoint | null {
  const { upload, fingerprint } = context;
  if (!upload) return null;
  return {
    version: CHECKPOINT_VERSION,
    id: context.id,
    createdAt: context.createdAt,
    updatedAt: context.deps.clock.now(),
    endpoint: context.deps.endpoint,
    fingerprint,
    fileName: context.source.name,
    contentType: context.source.type,
    size: upload.size,
    uploadId: upload.uploadId,
    key: upload.key,
    token: upload.token,
    tokenExpiresAt: upload.tokenExpiresAt,
    partSize: upload.partSize,
    partCount: upload.partCount,
    checksumAlgorithm: upload.checksumAlgorithm,
    parts: storedParts(context.parts),
    hashState: context.hashState,
    hashedThrough: context.hashedThrough,
    source: fingerprint ? 'file' : 'growing',
    scope: context.scope,
  };
}

/**
 * An upload session: prepare (create, or resume from a checkpoint with the store as the truth) → upload ⇄
 * paused / offline → complete; abort from anywhere; failed → retry continues from what the store holds.
 * While uploading, three regions run side by side: hashing reads parts in order (MD5 per part and a running
 * whole-file SHA-256, at most 2 × concurrency parts ahead), signing presigns hashed parts in batches, and
 * dispatch keeps `concurrency` part actors busy.
 */
export const uploadMachine = setup({
  types: {
    context: {} as UploadContext,
    input: {} as UploadMachineInput,
    events: {} as UploadEvent,
  },
  actors: {
    part: partMachine,
    prepare: fromPromise<PreparedUpload, { context: UploadContext }>(({ input: { context }, signal }) =>
      prepareUpload({ deps: context.deps, source: context.source, checkpoint: context.checkpoint }, signal),
    ),
    hashPart: fromPromise<PartHash, { context: UploadContext; part: PartRecord; digest: boolean; fold: boolean }>(
      async ({ input: { context, part, digest, fold }, signal }) => {
        // `digest`: the part's checksum; `fold`: the bytes go into the running whole-file SHA-256. Each part
        // is taken up in a task of its own: with nothing to hash, parts would otherwise all pass in one.
        await context.deps.nextTask?.();
        const { partSize, checksumAlgorithm } = context.upload as UploadInfo;
        const algorithm = digest && checksumAlgorithm !== 'none' ? checksumAlgorithm : undefined;
        if (algorithm === undefined && !fold) return {};
        const start = (part.partNumber - 1) * partSize;
        const blob = await context.source.slice(start, start + part.size);
        return context.deps.hasher.hashPart(
          { blob, ...(algorithm && { algorithm }), ...(fold && { sha256State: context.hashState }) },
          signal,
        );
      },
    ),
    sign: fromPromise<SignedPart[], { context: UploadContext; parts: PartRecord[] }>(
      ({ input: { context, parts }, signal }) =>
        context.deps.transport.sign(
          context.upload as UploadInfo,
          parts.map((part) => ({ partNumber: part.partNumber, size: part.size, checksum: part.checksum ?? '' })),
          signal,
        ),
    ),
    complete: fromPromise<CompleteUploadResponse & { sha256: string | null }, { context: UploadContext }>(
      ({ input: { context }, signal }) =>
        completeUpload(
          {
            deps: context.deps,
            upload: context.upload as UploadInfo,
            parts: context.parts,
            hashState: wholeFileSha256(context) ? context.hashState : undefined,
            size: context.source.size,
          },
          signal,
        ),
    ),
    abort: fromPromise<void, { context: UploadContext }>(async ({ input: { context }, signal }) => {
      if (!ownsCheckpoint(context)) return;
      // A resume that failed before the store answered still aborts the upload its checkpoint names.
      const upload = context.upload ?? (context.checkpoint && uploadInfoOf(context.checkpoint));
      if (!upload) return;
      // Gone already: an earlier attempt whose answer was lost aborted it, or the store's clean-up did.
      await context.deps.transport.abort(upload, signal).catch((error: unknown) => {
        if (!(error instanceof TesseraError && error.code === 'upload-not-found')) throw error;
      });
    }),
    checkpointWriter: fromCallback<
      CheckpointCommand,
      { store: CheckpointStore; id: string; nextTask: (() => Promise<void>) | undefined }
    >(({ input, receive }) => {
      // Writes run one after another; once deleted, a late save cannot bring the checkpoint back. Saves that
      // pile up behind a slow write collapse into the newest, so a long upload never queues stale copies.
      // A save starts in a task of its own, not in the one that finished a part; the delete at the end waits
      // only for a write already under way, so once `done()` settles the upload is no longer resumable.
      let chain = Promise.resolve();
      let deleted = false;
      let newest: Checkpoint | null = null;
      let saveQueued = false;
      // A failed write must not stop the upload: the store stays the truth on resume.
      const write = (run: () => Promise<void> | undefined) => {
        chain = chain.then(run).catch(() => undefined);
      };
      const queueSave = () =>
        write(() => {
          saveQueued = false;
          const checkpoint = newest;
          newest = null;
          return checkpoint ? input.store.save(checkpoint) : undefined;
        });
      receive((command) => {
        if (deleted) return;
        if (command.type === 'DELETE') {
          deleted = true;
          newest = null;
          write(() => input.store.delete(input.id));
          return;
        }
        newest = command.checkpoint;
        if (saveQueued) return;
        saveQueued = true;
        if (!input.nextTask) return queueSave();
        void input.nextTask().then(() => (deleted ? undefined : queueSave()));
      });
    }),
    holdLock: fromCallback<UploadEvent, { lock: SessionDeps['lock']; id: string }>(({ input, sendBack }) => {
      // Held from the session's start to its end (a final state, or the actor stopped with its page).
      if (!input.lock) {
        sendBack({ type: 'LOCK.HELD' });
        return () => undefined;
      }
      const controller = new AbortController();
      let release: (() => void) | undefined;
      input.lock
        .acquire(input.id, { signal: controller.signal, onWaiting: () => sendBack({ type: 'LOCK.ELSEWHERE' }) })
        .then(
          (granted) => {
            release = granted;
            sendBack({ type: 'LOCK.HELD' });
          },
          () => undefined,
        );
      return () => {
        controller.abort();
        release?.();
      };
    }),
    watchSlots: fromCallback<UploadEvent, { context: UploadContext }>(({ input: { context }, sendBack }) => {
      const { slots } = context.deps;
      if (!slots) return () => undefined;
      const unsubscribe = slots.subscribe(() => sendBack({ type: 'SLOTS.RELEASED' }));
      // However this session ends (even a stopped actor), its slots go back to the pool.
      return () => {
        unsubscribe();
        slots.releaseAll(context.id);
      };
    }),
    watchSource: fromCallback<UploadEvent, { context: UploadContext }>(({ input: { context }, sendBack }) => {
      const changed = () => sendBack({ type: 'SOURCE.CHANGED' });
      changed();
      return context.source.subscribe?.(changed) ?? (() => undefined);
    }),
    probe: fromPromise<void, { context: UploadContext }>(async ({ input: { context }, signal }) => {
      const upload = context.upload as UploadInfo;
      await (context.deps.probe ? context.deps.probe(upload, signal) : context.deps.transport.listParts(upload, signal));
    }),
    watchNetwork: fromCallback<UploadEvent, { context: UploadContext }>(({ input: { context }, sendBack }) => {
      if (!context.deps.network.isOnline()) sendBack({ type: 'NETWORK.OFFLINE' });
      return context.deps.network.subscribe((online) =>
        sendBack({ type: online ? 'NETWORK.ONLINE' : 'NETWORK.OFFLINE' }),
      );
    }),
  },
  guards: {
    canHash: ({ context }) => canHash(context),
    canFold: ({ context }) => canFold(context),
    needsSignature: ({ context }) => needsSignature(context),
    canDispatch: ({ context }) =>
      !context.draining &&
      context.active.length < context.deps.concurrency &&
      (context.deps.slots?.available() ?? 1) > 0 &&
      context.parts.some((part) => part.status === 'ready'),
    allDone: ({ context }) =>
      context.source.ended &&
      context.parts.length > 0 &&
      context.parts.every((part) => part.status === 'done') &&
      context.hashedThrough === context.parts.length,
    drained: ({ context }) => context.draining && context.active.length === 0,
    lockHeld: ({ context }) => context.lock === 'held',
    finishesInFlight: ({ context, event }) =>
      (event as { finishInFlight?: boolean }).finishInFlight === true && context.active.length > 0,
    draining: ({ context }) => context.draining,
    // The browser may say "online" while nothing gets through (captive portal, dead VPN).
    networkLooksDown: ({ context }) => context.networkFailures >= Math.max(3, context.deps.concurrency),
    signRetryable: ({ context, event }) =>
      toError((event as { error?: unknown }).error, '').retryable && context.signFailures < context.deps.retry.maxAttempts,
  },
  delays: {
    signBackoff: ({ context }) => backoffDelay(context.signFailures, context.deps.random, context.deps.retry),
    probeInterval: ({ context }) => context.deps.probeIntervalMs,
  },
  actions: {
    // A recording's persisted bytes are no longer needed once the upload is complete or aborted. An action,
    // not a spawned actor: a child spawned on the way into a final state is stopped before it starts.
    discardSource: ({ context }) => {
      const source = context.source as UploadSource & { discard?: () => Promise<void> };
      void source.discard?.().catch(() => undefined);
    },
    stopParts: enqueueActions(({ context, enqueue }) => {
      for (const partNumber of context.active) enqueue.stopChild(`part-${partNumber}`);
      enqueue(() => context.deps.slots?.releaseAll(context.id));
      const now = context.deps.clock.now();
      let progress = context.progress;
      for (const partNumber of context.active) progress = resetPart(progress, partNumber, now);
      enqueue.assign({
        active: [],
        progress,
        hashing: null,
        // A stopped part keeps its checksum and URL; it goes back to waiting for a slot (or a signature);
        // one caught mid-hash is hashed again.
        parts: context.parts.map((part) => {
          if (part.status === 'hashing') return { ...part, status: 'queued' };
          return LIVE.includes(part.status) ? { ...part, status: part.signed ? 'ready' : 'signing' } : part;
        }),
      });
    }),
    setError: assign({ error: ({ event }) => toError((event as { error?: unknown }).error, 'the upload failed') }),
  },
}).createMachine({
  id: 'upload',
  context: ({ input }) => ({
    id: input.id,
    scope: input.scope ?? input.checkpoint?.scope ?? null,
    deps: input.deps,
    source: input.source,
    checkpoint: input.checkpoint ?? null,
    upload: null,
    fingerprint: null,
    createdAt: input.deps.clock.now(),
    parts: [],
    active: [],
    hashState: null,
    hashedThrough: 0,
    hashing: null,
    progress: createProgress(input.source.ended ? input.source.size : null),
    signFailures: 0,
    networkFailures: 0,
    draining: false,
    lock: 'pending',
    error: null,
    result: null,
  }),
  initial: 'idle',
  invoke: [
    {
      id: 'checkpointWriter',
      src: 'checkpointWriter',
      input: ({ context }) => ({ store: context.deps.checkpoints, id: context.id, nextTask: context.deps.nextTask }),
    },
    { src: 'holdLock', input: ({ context }) => ({ lock: context.deps.lock, id: context.id }) },
  ],
  on: {
    ABORT: { target: '.aborting' },
    'LOCK.HELD': { actions: assign({ lock: 'held' }) },
    'LOCK.ELSEWHERE': { actions: assign({ lock: 'elsewhere' }) },
  },
  states: {
    idle: {
      on: { START: 'claiming' },
    },
    claiming: {
      // Waits while another page sends this upload (its checkpoint was resumed here too): it takes over when
      // that page goes away.
      always: { guard: 'lockHeld', target: 'preparing' },
    },
    preparing: {
      invoke: {
        src: 'prepare',
        input: ({ context }) => ({ context }),
        onDone: {
          target: 'uploading',
          actions: [
            assign(({ context, event }) => {
              const prepared = event.output;
              const confirmed = prepared.parts.filter((part) => part.status === 'done').reduce((sum, p) => sum + p.size, 0);
              return {
                upload: prepared.upload,
                fingerprint: prepared.fingerprint,
                createdAt: prepared.createdAt,
                parts: prepared.parts,
                hashState: prepared.hashState,
                hashedThrough: prepared.hashedThrough,
                // What this page showed before (a retry after a failure) stays shown: the bar does not drop back.
              progress: createProgress(context.source.ended ? context.source.size : null, confirmed, {
                state: context.progress,
                confirmed: new Set(prepared.parts.filter((part) => part.status === 'done').map((part) => part.partNumber)),
              }),
                error: null,
              };
            }),
            // Known from the moment the server created it: a tab closed before the first part is stored can
            // resume it (or discard it, which aborts it) instead of leaving it open in the store.
            enqueueActions(({ context, enqueue }) => {
              const checkpoint = checkpointOf(context);
              if (checkpoint) enqueue.sendTo('checkpointWriter', { type: 'SAVE', checkpoint });
            }),
          ],
        },
        onError: { target: 'failed', actions: 'setError' },
      },
    },
    uploading: {
      type: 'parallel',
      exit: 'stopParts',
      invoke: [
        { src: 'watchNetwork', input: ({ context }) => ({ context }) },
        { src: 'watchSource', input: ({ context }) => ({ context }) },
        { src: 'watchSlots', input: ({ context }) => ({ context }) },
      ],
      // Rate and ETA after a pause or an offline spell come from the bytes moved since.
      entry: assign({ networkFailures: 0, progress: ({ context }) => restartRate(context.progress) }),
      always: [
        { guard: 'allDone', target: 'completing' },
        { guard: 'drained', target: 'paused' },
        { guard: 'networkLooksDown', target: 'offline' },
      ],
      on: {
        PAUSE: [
          { guard: 'finishesInFlight', actions: assign({ draining: true }) },
          // Stop the parts in flight (or there are none to finish): pause now.
          { target: 'paused' },
        ],
        RESUME: { actions: assign({ draining: false }) },
        // Another upload freed shared slots: dispatch looks again.
        'SLOTS.RELEASED': { actions: [] },
        'SOURCE.CHANGED': {
          actions: assign(({ context }) => {
            const upload = context.upload as UploadInfo;
            const parts = extendParts(context.parts, upload.partSize, context.source);
            return {
              // The same list while no part was added: a recording changes many times a part.
              parts: parts.length === context.parts.length ? context.parts : parts,
              progress: context.source.ended ? { ...context.progress, totalBytes: context.source.size } : context.progress,
            };
          }),
        },
        'NETWORK.OFFLINE': 'offline',
        'PART.NEEDS_SIGNATURE': {
          actions: assign({
            parts: ({ context, event }) =>
              withPart(context, event.partNumber, { status: 'signing', signed: null, checksum: event.checksum }),
          }),
        },
        'PART.UPLOADING': {
          actions: assign({
            parts: ({ context, event }) =>
              withPart(context, event.partNumber, {
                status: 'uploading',
                attempt: event.attempt,
                reason: null,
                retryAt: null,
              }),
          }),
        },
        'PART.PROGRESS': {
          actions: assign({
            progress: ({ context, event }) =>
              recordPartProgress(context.progress, event.partNumber, event.loaded, context.deps.clock.now()),
          }),
        },
        'PART.RETRYING': {
          actions: assign({
            networkFailures: ({ context, event }) =>
              ['network', 'timeout', 'stalled'].includes(event.reason) ? context.networkFailures + 1 : 0,
            parts: ({ context, event }) =>
              withPart(context, event.partNumber, {
                status: 'retrying',
                attempt: event.attempt,
                reason: event.reason,
                retryAt: context.deps.clock.now() + event.delayMs,
              }),
            progress: ({ context, event }) => resetPart(context.progress, event.partNumber, context.deps.clock.now()),
          }),
        },
        'PART.DONE': {
          actions: [
            assign({
              parts: ({ context, event }) =>
                withPart(context, event.partNumber, { status: 'done', etag: event.etag, signed: null, reason: null }),
              active: ({ context, event }) => context.active.filter((n) => n !== event.partNumber),
              networkFailures: 0,
              progress: ({ context, event }) =>
                confirmPart(context.progress, event.partNumber, event.size, context.deps.clock.now()),
            }),
            enqueueActions(({ context, event, enqueue }) => {
              // A finished part's actor would otherwise stay among the children: memory would grow with the file.
              enqueue.stopChild(`part-${event.partNumber}`);
              const checkpoint = checkpointOf(context);
              if (checkpoint) enqueue.sendTo('checkpointWriter', { type: 'SAVE', checkpoint });
              enqueue(() => context.deps.slots?.release(context.id));
            }),
          ],
        },
        'PART.FAILED': {
          target: 'failed',
          actions: assign({ error: ({ event }) => event.error }),
        },
      },
      states: {
        hashing: {
          initial: 'idle',
          states: {
            idle: { always: { guard: 'canHash', target: 'running' } },
            running: {
              entry: assign(({ context }) => {
                const part = nextToHash(context) as PartRecord;
                return { hashing: part.partNumber, parts: withPart(context, part.partNumber, { status: 'hashing' }) };
              }),
              invoke: {
                src: 'hashPart',
                input: ({ context }) => ({
                  context,
                  part: context.parts[(context.hashing as number) - 1] as PartRecord,
                  digest: true,
                  fold: false,
                }),
                onDone: {
                  target: 'idle',
                  actions: assign(({ context, event }) => ({
                    hashing: null,
                    parts: withPart(context, context.hashing as number, {
                      status: 'signing',
                      checksum: event.output.checksum ?? null,
                      md5Hex: event.output.md5Hex ?? null,
                      signed: null,
                    }),
                  })),
                },
                onError: { target: '#upload.failed', actions: 'setError' },
              },
            },
          },
        },
        folding: {
          // In order, beside the uploads: the whole-file SHA-256 reads every part once more, and a part the store
          // held at resume is read for its MD5, to check that the store holds this file's bytes.
          initial: 'idle',
          states: {
            idle: { always: { guard: 'canFold', target: 'running' } },
            running: {
              invoke: {
                src: 'hashPart',
                input: ({ context }) => {
                  const part = context.parts[context.hashedThrough] as PartRecord;
                  return { context, part, digest: foldNeedsDigest(context, part), fold: wholeFileSha256(context) };
                },
                onDone: {
                  target: 'idle',
                  actions: assign(({ context, event }) => {
                    const part = context.parts[context.hashedThrough] as PartRecord;
                    // A part the store already holds must hold this file's bytes: its ETag is their MD5.
                    const storedDiffers =
                      part.status === 'done' &&
                      event.output.md5Hex !== undefined &&
                      part.etag !== null &&
                      /^[0-9a-f]{32}$/.test(part.etag) &&
                      part.etag !== event.output.md5Hex;
                    return {
                      hashState: event.output.sha256State ?? context.hashState,
                      hashedThrough: context.hashedThrough + 1,
                      parts: withPart(
                        context,
                        part.partNumber,
                        storedDiffers
                          ? { status: 'queued', etag: null, checksum: null, md5Hex: null }
                          : { md5Hex: part.md5Hex ?? event.output.md5Hex ?? null },
                      ),
                    };
                  }),
                },
                onError: { target: '#upload.failed', actions: 'setError' },
              },
            },
          },
        },
        signing: {
          initial: 'idle',
          states: {
            idle: { always: { guard: 'needsSignature', target: 'running' } },
            running: {
              invoke: {
                src: 'sign',
                input: ({ context }) => ({
                  context,
                  parts: context.parts
                    .filter((part) => part.status === 'signing' && !part.signed)
                    .slice(0, context.upload?.maxSignBatch ?? 100),
                }),
                onDone: {
                  target: 'idle',
                  actions: enqueueActions(({ context, event, enqueue }) => {
                    const signed = new Map(event.output.map((part) => [part.partNumber, part]));
                    enqueue.assign({
                      signFailures: 0,
                      parts: context.parts.map((part) => {
                        const url = signed.get(part.partNumber);
                        if (!url || part.status !== 'signing') return part;
                        return {
                          ...part,
                          signed: url,
                          signedAt: context.deps.clock.now(),
                          status: context.active.includes(part.partNumber) ? 'uploading' : 'ready',
                        };
                      }),
                    });
                    // Parts already running asked for a fresh URL (expired or refused): hand it over.
                    for (const partNumber of context.active) {
                      const url = signed.get(partNumber);
                      if (url) enqueue.sendTo(`part-${partNumber}`, { type: 'SIGNED', signed: url });
                    }
                  }),
                },
                onError: [
                  {
                    guard: 'signRetryable',
                    target: 'waiting',
                    actions: assign({ signFailures: ({ context }) => context.signFailures + 1 }),
                  },
                  { target: '#upload.failed', actions: 'setError' },
                ],
              },
            },
            waiting: { after: { signBackoff: 'idle' } },
          },
        },
        dispatch: {
          always: {
            guard: 'canDispatch',
            actions: enqueueActions(({ context, enqueue }) => {
              const own = context.deps.concurrency - context.active.length;
              const free = context.deps.slots ? context.deps.slots.acquire(context.id, own) : own;
              const ready = context.parts.filter((part) => part.status === 'ready').slice(0, free);
              const unused = free - ready.length;
              if (unused > 0) context.deps.slots?.release(context.id, unused);
              const upload = context.upload as UploadInfo;
              for (const part of ready) {
                const start = (part.partNumber - 1) * upload.partSize;
                const input: PartInput = {
                  partNumber: part.partNumber,
                  slice: () => context.source.slice(start, start + part.size),
                  size: part.size,
                  checksum: part.checksum ?? '',
                  signed: part.signed as SignedPart,
                  signedAt: part.signedAt,
                  algorithm: upload.checksumAlgorithm,
                  uploader: context.deps.uploader,
                  hasher: context.deps.hasher,
                  retry: context.deps.retry,
                  timeoutMs: context.deps.timeoutMs,
                  stallTimeoutMs: context.deps.stallTimeoutMs,
                  expiryMarginMs: context.deps.expiryMarginMs,
                  random: context.deps.random,
                  now: () => context.deps.clock.now(),
                  ...(context.deps.nextTask && { nextTask: context.deps.nextTask }),
                };
                enqueue.spawnChild('part', { id: `part-${part.partNumber}`, input });
              }
              const started = new Set(ready.map((part) => part.partNumber));
              enqueue.assign({
                active: [...context.active, ...started],
                parts: context.parts.map((part) => (started.has(part.partNumber) ? { ...part, status: 'uploading' } : part)),
              });
            }),
          },
        },
      },
    },
    paused: {
      entry: assign({ draining: false }),
      on: { RESUME: 'uploading' },
    },
    offline: {
      // Back to uploading when the browser says the network is back, or when a probe of the server answers.
      invoke: { src: 'watchNetwork', input: ({ context }) => ({ context }) },
      // Asked to pause (finishing parts) before going offline: back, it pauses.
      on: { 'NETWORK.ONLINE': [{ guard: 'draining', target: 'paused' }, 'uploading'], PAUSE: 'paused' },
      initial: 'waiting',
      states: {
        waiting: { after: { probeInterval: 'probing' } },
        probing: {
          invoke: {
            src: 'probe',
            input: ({ context }) => ({ context }),
            onDone: { target: '#upload.uploading' },
            onError: { target: 'waiting' },
          },
        },
      },
    },
    completing: {
      invoke: {
        src: 'complete',
        input: ({ context }) => ({ context }),
        onDone: { target: 'completed', actions: assign({ result: ({ event }) => event.output }) },
        onError: { target: 'failed', actions: 'setError' },
      },
    },
    completed: {
      type: 'final',
      entry: [
        sendTo('checkpointWriter', { type: 'DELETE' }),
        'discardSource',
      ],
    },
    aborting: {
      entry: 'stopParts',
      invoke: {
        src: 'abort',
        input: ({ context }) => ({ context }),
        onDone: {
          target: 'aborted',
          actions: enqueueActions(({ context, enqueue }) => {
            if (!ownsCheckpoint(context)) return;
            enqueue.sendTo('checkpointWriter', { type: 'DELETE' });
            enqueue('discardSource');
          }),
        },
        onError: { target: 'failed', actions: 'setError' },
      },
    },
    aborted: { type: 'final' },
    failed: {
      entry: 'stopParts',
      on: {
        // Continue from what the store holds: the checkpoint written so far, reconciled with ListParts.
        RETRY: {
          target: 'preparing',
          actions: assign(({ context }) => ({ checkpoint: checkpointOf(context) ?? context.checkpoint, error: null })),
        },
      },
    },
  },
});
