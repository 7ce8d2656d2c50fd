// Uploading
export {
  clearUnfinishedUploads,
  createUpload,
  findResumableUploads,
  resumeUpload,
  resumeWithKeptFile,
} from './createUpload.js';
export { createIndexedDbFileHandleStore, fileFromHandle } from './adapters/fileHandleStore.js';
export type { FileHandleLike, FileHandleStore } from './adapters/fileHandleStore.js';
export type { UnfinishedUploadsFilter, Upload, UploadOptions } from './createUpload.js';
export { checkUnfinishedUpload } from './recovery/checkUnfinishedUpload.js';
export type { CheckUnfinishedUploadOptions, UnfinishedUploadCheck } from './recovery/checkUnfinishedUpload.js';
export { replayCompletion } from './recovery/replayCompletion.js';
export type { ReplayOutcome } from './recovery/replayCompletion.js';
export { createUploadQueue } from './createUploadQueue.js';
export type { UploadQueue, UploadQueueOptions } from './createUploadQueue.js';
export { createSlotPool } from './slotPool.js';
export type { SlotPool } from './slotPool.js';
export { blobSource } from './blobSource.js';

// Recording while uploading (growing sources persisted in OPFS or IndexedDB)
export { fromMediaRecorder } from './recording/fromMediaRecorder.js';
export type { FromMediaRecorderOptions, MediaRecorderLike } from './recording/fromMediaRecorder.js';
export { recordingInfoOf, reopenRecording } from './recording/reopenRecording.js';
export type { ReopenRecordingOptions } from './recording/reopenRecording.js';
export { findRecoverableRecordings } from './recording/findRecoverableRecordings.js';
export type { FindRecoverableRecordingsOptions, RecoverableRecording } from './recording/findRecoverableRecordings.js';
export { continueRecording } from './recording/continueRecording.js';
export type { ContinueRecordingOptions } from './recording/continueRecording.js';
export { discardRecording } from './recording/discardRecording.js';
export type { RecoveryPorts } from './recording/recoveryPorts.js';
export { parseRecordingMetadata } from './recording/recordingMetadata.js';
export type { RecordingMetadata } from './recording/recordingMetadata.js';
export { listRecordings } from './recording/listRecordings.js';
export type { ListRecordingsOptions } from './recording/listRecordings.js';
export { growingSource } from './recording/growingSource.js';
export type { RecordingInfo, RecordingSource } from './recording/growingSource.js';
export { openRecordingBuffer } from './recording/recordingBuffer.js';
export type { RecordingBufferOptions } from './recording/recordingBuffer.js';
export type { RecordingStorage } from './recording/pickRecordingStore.js';
export type { RecordingStorageKind } from './recording/recordingStore.js';
export { toUploadSnapshot } from './snapshot.js';
export type { PartSnapshot, UploadResult, UploadSnapshot, UploadStatus } from './snapshot.js';
export type { GrowingSource, PartRecord, PartStatus, UploadSource } from './session.js';
export { uploadMachine } from './machines/uploadMachine.js';
export { partMachine } from './machines/partMachine.js';
export type { ControlEvent, PartEvent } from './machines/events.js';

// A server, store and network in memory (Storybook, demos, UI tests)
export { createSimulatedBackend } from './simulated/createSimulatedBackend.js';
export type { SimulatedBackend, SimulatedKnobs } from './simulated/createSimulatedBackend.js';

// Errors
export { TesseraError, isTesseraError } from './errors.js';
export type { TesseraErrorCode, TesseraErrorOptions } from './errors.js';

// Ports and their default adapters
export type {
  CheckpointStore,
  Clock,
  Hasher,
  NetworkStatus,
  PartHash,
  PartUploader,
  PartUploadRequest,
  PartUploadResult,
  RecordingBuffer,
  Transport,
  UploadRef,
} from './ports.js';
export { createFetchTransport } from './adapters/fetchTransport.js';
export type { FetchTransportOptions } from './adapters/fetchTransport.js';
export { createReliableTransport } from './adapters/reliableTransport.js';
export type { ReliableTransportOptions, ServerRetry } from './adapters/reliableTransport.js';
export { createXhrPartUploader } from './adapters/xhrPartUploader.js';
export type { XhrPartUploaderOptions } from './adapters/xhrPartUploader.js';
export { createFetchPartUploader } from './adapters/fetchPartUploader.js';
export type { FetchPartUploaderOptions } from './adapters/fetchPartUploader.js';
export { createHashWasmHasher } from './adapters/hashWasmHasher.js';
export { createWorkerHasher } from './adapters/workerHasher.js';
export type { WorkerHasherOptions } from './adapters/workerHasher.js';
export { createIndexedDbCheckpointStore } from './adapters/indexedDbCheckpointStore.js';
export type { IndexedDbCheckpointStore, IndexedDbCheckpointStoreOptions } from './adapters/indexedDbCheckpointStore.js';
export { createMemoryCheckpointStore } from './adapters/memoryCheckpointStore.js';
export { createBrowserNetworkStatus } from './adapters/browserNetworkStatus.js';
export { systemClock } from './adapters/systemClock.js';

// Wire protocol (shared with @tessera/server-adapter)
export { PROTOCOL_VERSION, UPLOAD_TOKEN_HEADER } from './protocol.js';
export type {
  AbortUploadResponse,
  CompleteUploadRequest,
  CompleteUploadResponse,
  CreateUploadRequest,
  CreateUploadResponse,
  ErrorResponse,
  ListPartsResponse,
  PartChecksumAlgorithm,
  PartDigestAlgorithm,
  SignedPart,
  SignPartRequest,
  SignPartsRequest,
  SignPartsResponse,
  UploadedPart,
} from './protocol.js';

// Pure logic
export { DEFAULT_PART_SIZE, S3_LIMITS, partRange, planPartSize, planParts } from './logic/planParts.js';
export type { PartPlan, PartPlanOptions } from './logic/planParts.js';
export { base64ToHex, hexToBase64, multipartEtag, normalizeEtag } from './logic/integrity.js';
export { DEFAULT_RETRY, backoffDelay } from './logic/backoff.js';
export type { RetryOptions } from './logic/backoff.js';
export { DEFAULT_SERVER_RETRY, DEFAULT_SERVER_TIMEOUTS } from './logic/serverRetry.js';
export type { ServerCall, ServerRetryOptions } from './logic/serverRetry.js';
export { classifyPartFailure } from './logic/retryPolicy.js';
export type { PartFailure, RetryDecision } from './logic/retryPolicy.js';
export { parseCheckpoint } from './logic/checkpoint.js';
export { listsEveryPart, replayRequestOf } from './logic/completionReplay.js';
export type { Checkpoint, CheckpointPart } from './logic/checkpoint.js';
export type { FileFingerprint } from './logic/fingerprint.js';
export type { ProgressSnapshot } from './logic/progress.js';
