/**
 * What the bench page exposes on `window.benchPage`, and the JSON its bench-only routes speak; shared by the
 * page (which implements it) and the Node side (which calls it through `page.evaluate`).
 */

/** The contenders, in the order tables list them. */
export const CONTENDERS = [
  'raw',
  'tessera',
  'tessera-no-sha256',
  'tessera-no-checksums',
  'uppy',
  'lib-storage',
  'evaporate',
] as const;
export type ContenderName = (typeof CONTENDERS)[number];

/** What `/bench/config` answers. */
export interface BenchConfig {
  /** Where the Tessera handler is mounted. */
  endpoint: string;
  /** Where a second Tessera handler with `checksumAlgorithm: 'none'` is mounted. */
  endpointWithoutChecksums: string;
  partSize: number;
  /** The local store, for the contenders that sign in the page (test credentials of a loopback store). */
  store: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string };
}

/** One contender upload of the picked file. */
export interface RunOptions {
  contender: ContenderName;
  concurrency: number;
  partSize: number;
  /** Object key for contenders that choose their own (Tessera's server picks its key). */
  key: string;
}

/** Main-thread long tasks (PerformanceObserver `longtask`, ≥ 50 ms by definition) during one upload. */
export interface LongTaskSummary {
  count: number;
  maxMs: number;
  totalMs: number;
}

export interface RunResult {
  key: string;
  size: number;
  /** From the contender's first call to its completed object, in milliseconds. */
  ms: number;
  longTasks: LongTaskSummary;
}

/** P4: one PUT of a part, logged across page loads. */
export interface PartAttempt {
  load: number;
  partNumber: number;
  size: number;
  /** `performance.now()` of that page load when the PUT started. */
  at: number;
}

export interface TesseraProgress {
  status: string;
  uploadedBytes: number;
  doneParts: number;
  error: string | null;
  result: { key: string; size: number } | null;
}

/** P5: core's recording path fed at a fixed rate while Tessera uploads it. */
export interface RecordingOptions {
  bytesPerSecond: number;
  chunkMs: number;
  durationMs: number;
  concurrency: number;
}

export interface RecordingResult {
  key: string;
  size: number;
  partSize: number;
  /** Largest (handed over by the recorder − stored) byte count seen while recording. */
  maxUnsentBytes: number;
  /** Largest byte count of full parts (ready to send) not yet stored, while recording: the engine's own lag. */
  maxPendingPartBytes: number;
  /** Longest time from a part being full (planned) to the store confirming it, while recording. */
  maxFullToStoredMs: number;
  /** From the end of the source to the completed object. */
  stopToCompleteMs: number;
  /** SHA-256 (hex) of the bytes the page generated, to compare with the stored object. */
  sha256: string;
  longTasks: LongTaskSummary;
}

/** Bench-only routes (`/bench/raw/*`, `/bench/sign`). */
export interface RawCreateRequest {
  key: string;
  size: number;
  partSize: number;
}
export interface RawCreateResponse {
  uploadId: string;
  key: string;
  urls: string[];
}
export interface RawCompleteRequest {
  key: string;
  uploadId: string;
  parts: Array<{ partNumber: number; etag: string }>;
}
/** An S3 request Uppy asks to have presigned (the fields of its `PresignableRequest` that matter here). */
export interface SignableS3Request {
  method: 'PUT' | 'POST' | 'GET' | 'DELETE';
  key: string;
  uploadId?: string;
  partNumber?: number;
}

/** `window.benchPage`. */
export interface BenchPage {
  ready: Promise<void>;
  isReady: boolean;
  pickedFile(): File;
  /** Upload the picked file with one contender. */
  run(options: RunOptions): Promise<RunResult>;
  /** P4: Tessera with its defaults, every part PUT logged in localStorage (it survives a reload). */
  resume: {
    start(concurrency: number): string;
    resumeLatest(concurrency: number): Promise<string>;
    progress(): TesseraProgress;
    attempts(): PartAttempt[];
    /** This page load's number (1 for the first). */
    load(): number;
    /** `performance.now()` when `resumeLatest` was called on this page load. */
    resumeCalledAt(): number | null;
    reset(): void;
  };
  /** P5. */
  record(options: RecordingOptions): Promise<RecordingResult>;
}

declare global {
  interface Window {
    benchPage: BenchPage;
  }
}
