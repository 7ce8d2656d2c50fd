import { assign, fromPromise, sendParent, setup } from 'xstate';
import { TesseraError } from '../errors.js';
import { backoffDelay, type RetryOptions } from '../logic/backoff.js';
import { classifyPartFailure, type PartFailure, type RetryDecision } from '../logic/retryPolicy.js';
import type { Hasher, PartHash, PartUploader, PartUploadResult } from '../ports.js';
import type { PartChecksumAlgorithm, SignedPart } from '../protocol.js';
import type { PartEvent } from './events.js';

/** What a part needs from the session that spawned it. */
export interface PartInput {
  partNumber: number;
  /** The part's bytes (a `Blob` slice; read again on every attempt, never copied). */
  slice: () => Promise<Blob>;
  size: number;
  checksum: string;
  signed: SignedPart;
  /** When `signed` was received. */
  signedAt: number;
  algorithm: PartChecksumAlgorithm;
  uploader: PartUploader;
  hasher: Hasher;
  retry: RetryOptions;
  timeoutMs: number;
  stallTimeoutMs: number;
  /** Re-sign a URL that expires sooner than this. */
  expiryMarginMs: number;
  random: () => number;
  now: () => number;
  /** Resolves in a later task: each attempt's PUT starts in a task of its own. Absent: at once. */
  nextTask?: () => Promise<void>;
}

export interface PartContext extends PartInput {
  attempt: number;
  resigns: number;
  rehashes: number;
  decision: RetryDecision | null;
  /** What went wrong last, for people: `network`, `stalled`, `http 503`, … */
  lastFailure: string;
  delayMs: number;
}

function describeFailure(failure: PartFailure): string {
  return failure.kind === 'http' ? `http ${failure.status}` : failure.kind;
}

/** Events a part receives from its session. */
export type PartInbound = { type: 'SIGNED'; signed: SignedPart };

/**
 * One part's life: check its URL → upload → done; a failure is classified into retry (after capped
 * exponential backoff with full jitter), re-sign, re-hash, or fail. The part reports to its session with
 * `PART.*` events; the session decides how many parts run at once and signs URLs in batches.
 */
export const partMachine = setup({
  types: {
    context: {} as PartContext,
    input: {} as PartInput,
    events: {} as PartInbound,
  },
  actors: {
    sendPart: fromPromise<
      PartUploadResult,
      { input: PartInput; onProgress: (loaded: number) => void }
    >(async ({ input: { input, onProgress }, signal }) => {
      // Parts start when others finish, often several at once: slicing and sending each in a task of its own
      // keeps any one task short.
      await input.nextTask?.();
      const body = await input.slice();
      return input.uploader.upload({
        partNumber: input.partNumber,
        url: input.signed.url,
        headers: input.signed.headers,
        body,
        timeoutMs: input.timeoutMs,
        stallTimeoutMs: input.stallTimeoutMs,
        signal,
        onProgress,
      });
    }),
    hashPart: fromPromise<PartHash, PartInput>(async ({ input, signal }) =>
      input.algorithm === 'none'
        ? {}
        : input.hasher.hashPart({ blob: await input.slice(), algorithm: input.algorithm }, signal),
    ),
  },
  guards: {
    // Fresh enough to use: more than the margin left, or for short-lived URLs more than half their life.
    urlFresh: ({ context }) => {
      const expiresAt = Date.parse(context.signed.expiresAt);
      const margin = Math.min(context.expiryMarginMs, (expiresAt - context.signedAt) / 2);
      return expiresAt - context.now() > margin;
    },
    decided: ({ context }, action: RetryDecision['action']) => context.decision?.action === action,
  },
  delays: {
    backoff: ({ context }) => context.delayMs,
  },
}).createMachine({
  id: 'part',
  context: ({ input }) => ({
    ...input,
    attempt: 0,
    resigns: 0,
    rehashes: 0,
    decision: null,
    lastFailure: '',
    delayMs: 0,
  }),
  initial: 'checking',
  states: {
    checking: {
      always: [{ guard: 'urlFresh', target: 'uploading' }, { target: 'signing' }],
    },
    signing: {
      entry: sendParent(({ context }): PartEvent => ({
        type: 'PART.NEEDS_SIGNATURE',
        partNumber: context.partNumber,
        size: context.size,
        checksum: context.checksum,
      })),
      on: {
        SIGNED: {
          target: 'uploading',
          actions: assign({ signed: ({ event }) => event.signed, signedAt: ({ context }) => context.now() }),
        },
      },
    },
    uploading: {
      entry: sendParent(({ context }): PartEvent => ({
        type: 'PART.UPLOADING',
        partNumber: context.partNumber,
        attempt: context.attempt,
      })),
      invoke: {
        src: 'sendPart',
        input: ({ context, self }) => ({
          input: context,
          onProgress: (loaded: number) => {
            self._parent?.send({ type: 'PART.PROGRESS', partNumber: context.partNumber, loaded });
          },
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.ok,
            target: 'done',
            actions: sendParent(({ context, event }): PartEvent => ({
              type: 'PART.DONE',
              partNumber: context.partNumber,
              size: context.size,
              checksum: context.checksum,
              etag: event.output.ok ? event.output.etag : '',
            })),
          },
          {
            target: 'deciding',
            actions: assign({
              lastFailure: ({ event }) => describeFailure((event.output as { failure: PartFailure }).failure),
              decision: ({ context, event }) =>
                classifyPartFailure((event.output as { failure: PartFailure }).failure, {
                  partNumber: context.partNumber,
                  attempt: context.attempt,
                  resigns: context.resigns,
                  rehashes: context.rehashes,
                  maxAttempts: context.retry.maxAttempts,
                }),
            }),
          },
        ],
        onError: {
          target: 'failed',
          actions: assign({
            decision: ({ context, event }) => ({
              action: 'fail' as const,
              error: new TesseraError('source-error', `part ${context.partNumber} could not be read`, {
                partNumber: context.partNumber,
                cause: event.error,
              }),
            }),
          }),
        },
      },
    },
    deciding: {
      always: [
        { guard: { type: 'decided', params: 'retry' }, target: 'waitingToRetry' },
        {
          guard: { type: 'decided', params: 'resign' },
          target: 'signing',
          actions: assign({ resigns: ({ context }) => context.resigns + 1 }),
        },
        {
          guard: { type: 'decided', params: 'rehash' },
          target: 'rehashing',
          actions: assign({ rehashes: ({ context }) => context.rehashes + 1 }),
        },
        { target: 'failed' },
      ],
    },
    waitingToRetry: {
      entry: [
        assign({
          delayMs: ({ context }) => backoffDelay(context.attempt, context.random, context.retry),
          attempt: ({ context }) => context.attempt + 1,
        }),
        sendParent(({ context }): PartEvent => ({
          type: 'PART.RETRYING',
          partNumber: context.partNumber,
          attempt: context.attempt,
          delayMs: context.delayMs,
          reason: context.lastFailure,
        })),
      ],
      after: { backoff: 'checking' },
    },
    rehashing: {
      // The store refused the bytes as not matching their checksum: read the slice again. The same digest
      // means the bytes were damaged on the way (send again); another means the source itself changed.
      invoke: {
        src: 'hashPart',
        input: ({ context }) => context,
        onDone: [
          {
            guard: ({ context, event }) => event.output.checksum === context.checksum,
            target: 'waitingToRetry',
          },
          {
            target: 'failed',
            actions: assign({
              decision: ({ context }) => ({
                action: 'fail' as const,
                error: new TesseraError(
                  'source-error',
                  `part ${context.partNumber} changed while it was being uploaded; pick the file again`,
                  { partNumber: context.partNumber },
                ),
              }),
            }),
          },
        ],
        onError: { target: 'failed' },
      },
    },
    failed: {
      type: 'final',
      entry: sendParent(({ context }): PartEvent => ({
        type: 'PART.FAILED',
        partNumber: context.partNumber,
        error:
          context.decision?.action === 'fail'
            ? context.decision.error
            : new TesseraError('part-rejected', `part ${context.partNumber} failed`, {
                partNumber: context.partNumber,
              }),
      })),
    },
    done: { type: 'final' },
  },
});
