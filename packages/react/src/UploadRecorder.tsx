'use client';
import { createUpload, fromMediaRecorder, type Upload, type UploadResult, type UploadSource } from '@tessera/core';
import { type HTMLAttributes, type ReactNode, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { browserRecordingMedia, type RecordingKind, type RecordingMedia } from './browserRecordingMedia.js';
import { describeError } from './describeError.js';
import { formatBytes } from './formatBytes.js';
import { formatClock } from './formatDuration.js';
import { resolveUploadOptions } from './resolveUploadOptions.js';
import { type RecordingProblem, type RecordingSession, startRecording } from './startRecording.js';
import { statusLabel } from './statusLabel.js';
import { useLeaveWarning } from './useLeaveWarning.js';
import type { TesseraOptions } from './tesseraContext.js';
import { UploadProgress } from './UploadProgress.js';
import { useFinalCleanup } from './useFinalCleanup.js';
import { useTessera } from './useTessera.js';
import { useUploadSelector } from './useUploadSelector.js';

/** What the render prop of {@link UploadRecorder} receives. */
export interface RecorderView {
  phase: 'idle' | 'starting' | 'recording' | 'finishing' | 'problem';
  session: RecordingSession | null;
  problem: RecordingProblem | null;
  start(kind: RecordingKind): void;
  stop(): void;
}

/** Props of {@link UploadRecorder}. */
export interface UploadRecorderProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** @default the `TesseraProvider`'s */
  endpoint?: string;
  /** Core options over the provider's. */
  options?: TesseraOptions;
  /** What may be recorded, in the order offered. @default ['screen', 'camera', 'microphone'] */
  kinds?: readonly RecordingKind[];
  /**
   * Turns the recorder into a growing upload source; called before the recorder starts.
   * @default core's `fromMediaRecorder` (every chunk persisted in OPFS or IndexedDB before it is uploaded)
   */
  createSource?: (recorder: MediaRecorder) => Promise<UploadSource>;
  /** Capture and recording. @default browserRecordingMedia() */
  media?: RecordingMedia;
  /**
   * How often the browser's recorder hands recorded data over, in ms: it is stored in this browser (and can be
   * uploaded) from then on, so it is also the most a tab that dies mid-recording can lose. @default 250
   */
  timesliceMs?: number;
  /** Called with the upload as soon as recording starts. */
  onUpload?: (upload: Upload) => void;
  /** Called when the recording is fully uploaded. */
  onComplete?: (result: UploadResult) => void;
  /** Replace the whole UI; the element and its live region stay. */
  children?: (view: RecorderView) => ReactNode;
}

type Phase =
  | { phase: 'idle' | 'starting'; session: null; problem: null }
  | { phase: 'recording' | 'finishing'; session: RecordingSession; problem: null }
  | { phase: 'problem'; session: null; problem: RecordingProblem };

const LABELS: Record<RecordingKind, string> = {
  screen: 'Record screen',
  camera: 'Record camera',
  microphone: 'Record microphone',
};
const KINDS: readonly RecordingKind[] = ['screen', 'camera', 'microphone'];
const IDLE: Phase = { phase: 'idle', session: null, problem: null };
const scopeOf = ({ scope }: { scope?: string }) => (scope === undefined ? {} : { scope });

interface SessionStatusProps {
  session: RecordingSession;
  finishing: boolean;
  onComplete?: (result: UploadResult) => void;
}

function SessionStatus({ session, finishing, onComplete }: SessionStatusProps) {
  const { source, upload } = session;
  const [startedAt] = useState(() => Date.now());
  const [now, setNow] = useState(startedAt);
  useEffect(() => {
    // Stopped: freeze the clock at the moment recording ended.
    if (finishing) return setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [finishing]);
  const subscribe = useCallback((listener: () => void) => source.subscribe?.(listener) ?? (() => undefined), [source]);
  const recorded = useSyncExternalStore(subscribe, () => source.size, () => source.size);
  const uploaded = useUploadSelector(upload, (snapshot) => snapshot.progress.uploadedBytes);
  const status = useUploadSelector(upload, (snapshot) => snapshot.status);
  const result = useUploadSelector(upload, (snapshot) => snapshot.result);
  const error = useUploadSelector(upload, (snapshot) => snapshot.error);
  useEffect(() => {
    if (result) onComplete?.(result);
  }, [result, onComplete]);
  return (
    <div data-tessera="recorder-status" data-state={status}>
      <span data-tessera="recorder-elapsed">
        {finishing ? 'Recorded' : 'Recording'} <time>{formatClock((now - startedAt) / 1000)}</time>
      </span>
      <span data-tessera="recorder-recorded">{formatBytes(recorded)} recorded</span>
      <span data-tessera="recorder-uploaded">{formatBytes(uploaded)} uploaded</span>
      <span data-tessera="upload-status">{statusLabel(status)}</span>
      <UploadProgress upload={upload} label="Recording upload" />
      {error && status === 'failed' ? (
        <p role="alert" data-tessera="upload-error" data-code={error.code}>
          {describeError(error)}
          {/* Only where retrying can cure the failure (`TesseraError.retryable`). */}
          {error.retryable ? (
            <>
              {' '}
              <button type="button" data-action="retry" onClick={() => upload.retry()}>
                Retry upload
              </button>
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}

const NO_UPLOADS: readonly Upload[] = [];

/**
 * Record the screen, the camera or the microphone and upload while recording (a growing source: parts are
 * sent as the recording reaches them). Shows elapsed time, recorded and uploaded bytes; Stop ends the
 * recording and the upload completes. A denied permission or an unsupported browser gets a clear message
 * (in an alert region), never a silent failure.
 *
 * @example
 * ```tsx
 * <UploadRecorder endpoint="/api/uploads" kinds={['screen', 'microphone']} onComplete={({ key }) => save(key)} />
 * ```
 */
export function UploadRecorder(props: UploadRecorderProps) {
  const {
    endpoint,
    options,
    kinds = KINDS,
    createSource,
    media,
    timesliceMs = 250,
    onUpload,
    onComplete,
    children,
    ...rest
  } = props;
  const config = useTessera();
  const [state, setState] = useState<Phase>(IDLE);
  // Read now, so that a missing endpoint fails loudly here rather than after the user granted access.
  const uploadOptions = resolveUploadOptions(config, { ...options, ...(endpoint !== undefined && { endpoint }) });
  const session = useRef<RecordingSession | null>(null);
  const gone = useRef(false);
  useFinalCleanup(() => {
    gone.current = true;
    session.current?.stop();
  });
  // Start and Stop replace each other: once the user used them, keep focus in the group when they swap.
  const controls = useRef<HTMLDivElement>(null);
  const used = useRef(false);
  useEffect(() => {
    const focused = document.activeElement;
    if (!used.current || (focused !== null && focused !== document.body)) return;
    controls.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [state.phase]);
  const capture = media ?? browserRecordingMedia();

  const start = async (kind: RecordingKind) => {
    used.current = true;
    setState({ phase: 'starting', session: null, problem: null });
    const started = await startRecording(kind, {
      media: capture,
      // The recording is persisted as its user's (the upload's scope), so only they are offered it after a crash.
      createSource: createSource ?? ((recorder) => fromMediaRecorder(recorder, scopeOf(uploadOptions))),
      timesliceMs,
      // Core names the upload after the recording (its id) and discards the recording once it is stored.
      createUpload: (source) => createUpload({ ...uploadOptions, source, autoStart: true }),
    });
    if (!started.ok) {
      setState({ phase: 'problem', session: null, problem: started.problem });
      return;
    }
    // Unmounted while the browser was asking: release the devices at once.
    if (gone.current) return started.session.stop();
    session.current = started.session;
    started.session.recorder.addEventListener('stop', () =>
      setState((current) => (current.session === started.session ? { ...current, phase: 'finishing' } : current)),
    );
    setState({ phase: 'recording', session: started.session, problem: null });
    onUpload?.(started.session.upload);
  };
  const stop = () => {
    used.current = true;
    session.current?.stop();
  };
  const view: RecorderView = { ...state, start: (kind) => void start(kind), stop };
  const busy = state.phase === 'starting' || state.phase === 'recording';
  // What is recorded is saved as it comes and resumes by itself; what leaving would cost is the rest of it.
  useLeaveWarning(NO_UPLOADS, state.phase === 'recording');

  return (
    <section aria-label="Recorder" data-tessera="recorder" data-state={state.phase} {...rest}>
      {children ? (
        children(view)
      ) : (
        <>
          <div ref={controls} role="group" aria-label="Record" data-tessera="recorder-controls">
            {state.phase === 'recording' ? (
              <button type="button" data-action="stop" onClick={stop}>
                Stop recording
              </button>
            ) : (
              kinds.map((kind) => (
                <button
                  key={kind}
                  type="button"
                  data-action={`record-${kind}`}
                  disabled={busy}
                  onClick={() => view.start(kind)}
                >
                  {LABELS[kind]}
                </button>
              ))
            )}
          </div>
          {state.session ? (
            <SessionStatus
              session={state.session}
              finishing={state.phase === 'finishing'}
              {...(onComplete && { onComplete })}
            />
          ) : null}
        </>
      )}
      <div role="alert" data-tessera="recorder-problem" data-code={state.problem?.code}>
        {state.problem?.message}
      </div>
    </section>
  );
}
