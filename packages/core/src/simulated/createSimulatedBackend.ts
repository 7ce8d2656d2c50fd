import { createMD5 } from 'hash-wasm';
import { TesseraError } from '../errors.js';
import { base64ToHex, multipartEtag } from '../logic/integrity.js';
import { planParts } from '../logic/planParts.js';
import type { NetworkStatus, PartUploader, PartUploadResult, Transport } from '../ports.js';
import type { UploadedPart } from '../protocol.js';

/** What the simulated server and network do; change them while uploads run with `setKnobs`. */
export interface SimulatedKnobs {
  /** Delay of every server call and of the first byte of a part, in ms. @default 80 */
  latencyMs: number;
  /** Upload bandwidth shared by the parts in flight, in bytes per second. @default 20 MB/s */
  bytesPerSecond: number;
  /** Chance that a part PUT fails (a dropped connection or a 503). @default 0 */
  failureRate: number;
  /** The network is gone: PUTs fail at once and the browser-style network status says offline. @default false */
  offline: boolean;
  /** Lifetime of signed part URLs, in seconds. @default 300 */
  urlTtlSeconds: number;
  /** Preferred part size. @default 8 MiB */
  partSize: number;
}

/** A server, a store and a network in memory, for UIs without a backend (Storybook, demos, tests). */
export interface SimulatedBackend {
  transport: Transport;
  uploader: PartUploader;
  network: NetworkStatus;
  knobs(): SimulatedKnobs;
  setKnobs(change: Partial<SimulatedKnobs>): void;
}

const DEFAULT_KNOBS: SimulatedKnobs = {
  latencyMs: 80,
  bytesPerSecond: 20_000_000,
  failureRate: 0,
  offline: false,
  urlTtlSeconds: 300,
  partSize: 8 * 1024 * 1024,
};

interface SimulatedUpload {
  size: number | null;
  partSize: number;
  parts: Map<number, UploadedPart>;
  state: 'open' | 'completed' | 'aborted';
}

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new TesseraError('aborted', 'aborted'));
    });
  });

/**
 * Everything `createUpload` needs to run without a server: pass `transport`, `uploader` and `network` as
 * options. Parts take `size / (bandwidth / parts in flight)` to "send", report progress, fail at
 * `failureRate`, and stop when `offline` is set. ETags are the parts' Content-MD5s, as a real store's are.
 *
 * @example
 * ```ts
 * const backend = createSimulatedBackend({ bytesPerSecond: 5e6, failureRate: 0.1 });
 * const upload = createUpload({ source: file, endpoint: '/simulated', ...backend });
 * backend.setKnobs({ offline: true });
 * ```
 */
export function createSimulatedBackend(
  initial: Partial<SimulatedKnobs> = {},
  options: { /** Chance source for failures. @default Math.random */ random?: () => number } = {},
): SimulatedBackend {
  const random = options.random ?? Math.random;
  let knobs: SimulatedKnobs = { ...DEFAULT_KNOBS, ...initial };
  const uploads = new Map<string, SimulatedUpload>();
  const networkListeners = new Set<(online: boolean) => void>();
  let inFlight = 0;
  let counter = 0;

  const open = (uploadId: string) => {
    const upload = uploads.get(uploadId);
    if (!upload || upload.state !== 'open') {
      throw new TesseraError('upload-not-found', 'the simulated store has no such upload', { status: 404 });
    }
    return upload;
  };
  const call = async <T>(signal: AbortSignal | undefined, answer: () => T): Promise<T> => {
    if (knobs.offline) throw new TesseraError('network-error', 'offline (simulated)', { retryable: true });
    await wait(knobs.latencyMs, signal);
    return answer();
  };

  const transport: Transport = {
    create: (request, signal) =>
      call(signal, () => {
        const uploadId = `sim-${++counter}`;
        const size = request.size ?? null;
        const partSize = size === null ? knobs.partSize : planParts(size, { preferredPartSize: knobs.partSize }).partSize;
        uploads.set(uploadId, { size, partSize, parts: new Map(), state: 'open' });
        return {
          uploadId,
          key: `simulated/${uploadId}/${request.fileName}`,
          partSize,
          partCount: size === null ? null : Math.max(1, Math.ceil(size / partSize)),
          size,
          token: `token-${uploadId}`,
          tokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          checksumAlgorithm: 'md5',
          maxSignBatch: 100,
        };
      }),
    sign: (ref, parts, signal) =>
      call(signal, () => {
        open(ref.uploadId);
        const expiresAt = new Date(Date.now() + knobs.urlTtlSeconds * 1000).toISOString();
        return parts.map((part) => ({
          partNumber: part.partNumber,
          url: `simulated://${ref.uploadId}/${part.partNumber}`,
          headers: { 'content-md5': part.checksum },
          expiresAt,
        }));
      }),
    listParts: (ref, signal) =>
      call(signal, () => {
        const upload = open(ref.uploadId);
        return {
          uploadId: ref.uploadId,
          key: `simulated/${ref.uploadId}`,
          partSize: upload.partSize,
          partCount: upload.size === null ? null : Math.ceil(upload.size / upload.partSize),
          size: upload.size,
          parts: [...upload.parts.values()].sort((a, b) => a.partNumber - b.partNumber),
        };
      }),
    complete: async (ref, request, signal) => {
      const md5 = await createMD5();
      return call(signal, () => {
        const upload = open(ref.uploadId);
        for (const part of request.parts) {
          if (upload.parts.get(part.partNumber)?.etag !== part.etag) {
            throw new TesseraError('etag-mismatch', `part ${part.partNumber}`, { status: 409 });
          }
        }
        upload.state = 'completed';
        const size = [...upload.parts.values()].reduce((sum, part) => sum + part.size, 0);
        const etags = request.parts.map((part) => part.etag);
        return {
          key: `simulated/${ref.uploadId}`,
          size,
          // As S3 computes it: the engine checks it against the MD5s it read from the file.
          etag: multipartEtag(etags, (bytes) => md5.init().update(bytes).digest('hex')),
          partCount: request.parts.length,
        };
      });
    },
    abort: (ref, signal) =>
      call(signal, () => {
        open(ref.uploadId).state = 'aborted';
      }),
  };

  const uploader: PartUploader = {
    async upload(request): Promise<PartUploadResult> {
      if (knobs.offline) return { ok: false, failure: { kind: 'network' } };
      const uploadId = new URL(request.url).hostname;
      const failAt = random() < knobs.failureRate ? random() : 2;
      inFlight++;
      try {
        await wait(knobs.latencyMs, request.signal);
        let sent = 0;
        while (sent < request.body.size) {
          const step = Math.max(1, (knobs.bytesPerSecond / Math.max(1, inFlight)) * 0.1);
          await wait(100, request.signal);
          if (knobs.offline) return { ok: false, failure: { kind: 'network' } };
          sent = Math.min(request.body.size, sent + step);
          if (sent / request.body.size >= failAt) {
            return failAt < 0.5
              ? { ok: false, failure: { kind: 'network' } }
              : { ok: false, failure: { kind: 'http', status: 503, body: '<Error><Code>SlowDown</Code></Error>' } };
          }
          request.onProgress?.(sent);
        }
        const etag = base64ToHex(request.headers['content-md5'] ?? '');
        const upload = uploads.get(uploadId);
        if (!upload || upload.state !== 'open') return { ok: false, failure: { kind: 'http', status: 404 } };
        upload.parts.set(request.partNumber, { partNumber: request.partNumber, size: request.body.size, etag });
        return { ok: true, etag };
      } catch {
        return { ok: false, failure: { kind: 'aborted' } };
      } finally {
        inFlight--;
      }
    },
  };

  const network: NetworkStatus = {
    isOnline: () => !knobs.offline,
    subscribe(listener) {
      networkListeners.add(listener);
      return () => networkListeners.delete(listener);
    },
  };

  return {
    transport,
    uploader,
    network,
    knobs: () => ({ ...knobs }),
    setKnobs(change) {
      const wasOffline = knobs.offline;
      knobs = { ...knobs, ...change };
      if (knobs.offline !== wasOffline) for (const listener of networkListeners) listener(!knobs.offline);
    },
  };
}
