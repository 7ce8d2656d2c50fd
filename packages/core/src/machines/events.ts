import type { TesseraError } from '../errors.js';

/** What a part reports to its session. */
export type PartEvent =
  | { type: 'PART.NEEDS_SIGNATURE'; partNumber: number; size: number; checksum: string }
  | { type: 'PART.UPLOADING'; partNumber: number; attempt: number }
  | { type: 'PART.PROGRESS'; partNumber: number; loaded: number }
  | { type: 'PART.RETRYING'; partNumber: number; attempt: number; delayMs: number; reason: string }
  | { type: 'PART.DONE'; partNumber: number; size: number; checksum: string; etag: string }
  | { type: 'PART.FAILED'; partNumber: number; error: TesseraError };

/** What an application (or the network watcher) tells a session. */
export type ControlEvent =
  | { type: 'START' }
  /** `finishInFlight`: let the parts being sent finish (nothing new starts), then pause; else stop them now. */
  | { type: 'PAUSE'; finishInFlight?: boolean }
  | { type: 'RESUME' }
  | { type: 'ABORT' }
  | { type: 'RETRY' }
  | { type: 'NETWORK.OFFLINE' }
  | { type: 'NETWORK.ONLINE' }
  | { type: 'SOURCE.CHANGED' }
  | { type: 'SLOTS.RELEASED' };
