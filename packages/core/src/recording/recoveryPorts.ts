import { createFetchTransport } from '../adapters/fetchTransport.js';
import { createIndexedDbCheckpointStore } from '../adapters/indexedDbCheckpointStore.js';
import type { CheckpointStore, Transport } from '../ports.js';
import type { RecordingStorage } from './pickRecordingStore.js';

/** The ports recovering a recording uses; each has a browser default. */
export interface RecoveryPorts {
  /** Where `@tessera/server-adapter` is mounted. */
  endpoint: string;
  /** @default a fetch transport for `endpoint` with `headers` */
  transport?: Transport;
  /** Extra headers for calls to your server (the default transport's). */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** @default the IndexedDB checkpoint store uploads use */
  checkpoints?: CheckpointStore;
  /** Where recordings are persisted. @default 'auto' */
  storage?: RecordingStorage;
}

let defaultCheckpoints: CheckpointStore | undefined;

/** `ports` with their defaults filled in (created on first use: nothing is opened on import). */
export function recoveryPorts(ports: RecoveryPorts): { transport: Transport; checkpoints: CheckpointStore } {
  const { endpoint, headers } = ports;
  return {
    transport: ports.transport ?? createFetchTransport({ endpoint, ...(headers && { headers }) }),
    checkpoints: ports.checkpoints ?? (defaultCheckpoints ??= createIndexedDbCheckpointStore()),
  };
}

// Recordings this page opened to offer them (their Web Lock keeps other tabs away), until continued or
// discarded: a later listing in the same page (a remount, React's StrictMode) offers them again.
const claimed = new Set<string>();

/** Remember that this page holds `id` to offer it. */
export function claimRecording(id: string): void {
  claimed.add(id);
}

/** `id` is no longer offered by this page (continued, discarded or settled). */
export function releaseRecording(id: string): void {
  claimed.delete(id);
}

/** Ids this page holds to offer. */
export function claimedRecordings(): string[] {
  return [...claimed];
}
