// @tessera/react is a thin adapter over @tessera/core: everything core exports is available from here too.
export * from '@tessera/core';

// Provider and shared defaults
export { TesseraProvider } from './TesseraProvider.js';
export type { TesseraProviderProps } from './TesseraProvider.js';
export { TesseraContext } from './tesseraContext.js';
export type { TesseraDefaults, TesseraOptions } from './tesseraContext.js';
export { useTessera } from './useTessera.js';
export type { TesseraConfig } from './useTessera.js';

// Hooks
export { useMultipartUpload } from './useMultipartUpload.js';
export type {
  ResumableItem,
  ResumableUploads,
  UseMultipartUploadOptions,
  UseMultipartUploadResult,
} from './useMultipartUpload.js';
export { useUpload } from './useUpload.js';
export { useUploadSelector } from './useUploadSelector.js';
export { useUploadsSelector } from './useUploadsSelector.js';
export { useTotalProgress } from './useTotalProgress.js';
export { useClearUnfinishedUploads } from './useClearUnfinishedUploads.js';
export { useLeaveWarning } from './useLeaveWarning.js';
export { useResumableUploads, unfinishedUploadsKey } from './useResumableUploads.js';
export type { ResumableUploadsQuery, UseResumableUploadsOptions } from './useResumableUploads.js';
export { useCompletedObject } from './useCompletedObject.js';
export type { UseCompletedObjectOptions } from './useCompletedObject.js';
export { useDropzone } from './useDropzone.js';
export type { DropzoneState, UseDropzoneOptions, UseDropzoneResult } from './dropzoneTypes.js';
export { useDragTarget } from './useDragTarget.js';
export type { DragState, UseDragTargetOptions } from './useDragTarget.js';
export { useThrottledValue } from './useThrottledValue.js';

// Components
export { ResumableUpload } from './ResumableUpload.js';
export type { ResumableUploadProps, ResumableUploadSlots } from './ResumableUpload.js';
export { DropZone } from './DropZone.js';
export type { DropZoneProps, DropZoneRenderState } from './DropZone.js';
export { UploadList } from './UploadList.js';
export type { UploadListProps } from './UploadList.js';
export { UploadItem } from './UploadItem.js';
export type { UploadItemProps, UploadItemSlotProps } from './UploadItem.js';
export { UploadProgress } from './UploadProgress.js';
export type { UploadProgressProps } from './UploadProgress.js';
export { UploadParts, summarizeParts } from './UploadParts.js';
export type { UploadPartsProps } from './UploadParts.js';
export { ResumePanel } from './ResumePanel.js';
export type { ResumePanelProps } from './ResumePanel.js';
export { UploadRecorder } from './UploadRecorder.js';
export type { RecorderView, UploadRecorderProps } from './UploadRecorder.js';
export { ProgressAnnouncer, describeTotal } from './ProgressAnnouncer.js';
export type { ProgressAnnouncerProps } from './ProgressAnnouncer.js';

// Framework-free pieces the hooks and components are built from
export { createUploadCollection } from './createUploadCollection.js';
export type { UploadCollection, UploadCollectionState } from './createUploadCollection.js';
export { listUnfinishedUploads } from './listUnfinishedUploads.js';
export type { ListUnfinishedUploadsOptions, UnfinishedUpload } from './listUnfinishedUploads.js';
export { discardUnfinishedUpload } from './discardUnfinishedUpload.js';
export { startRecording, mediaProblem } from './startRecording.js';
export type {
  RecordingProblem,
  RecordingProblemCode,
  RecordingSession,
  StartRecordingDeps,
} from './startRecording.js';
export { browserRecordingMedia } from './browserRecordingMedia.js';
export type { RecordingKind, RecordingMedia } from './browserRecordingMedia.js';
export { validateFiles, isAccepted, mightBeAccepted, acceptPatterns } from './validateFiles.js';
export type { FileRejection, FileRejectionCode, FileRejectionReason, FileRules } from './validateFiles.js';
export { describeRules } from './describeRules.js';
export { describeError } from './describeError.js';
export { totalProgress, totalProgressEqual } from './totalProgress.js';
export type { TotalProgress } from './totalProgress.js';
export { progressView, viewEqual } from './progressView.js';
export type { ProgressView } from './progressView.js';
export { snapshotEqual, progressEqual, partsEqual } from './snapshotEqual.js';
export { readUploadSnapshot } from './readUploadSnapshot.js';
export { statusLabel } from './statusLabel.js';
export { formatBytes } from './formatBytes.js';
export { formatClock, formatDuration } from './formatDuration.js';
export { composeHandlers } from './composeHandlers.js';
export { visuallyHidden } from './visuallyHidden.js';
