'use client';
import {
  continueRecording,
  discardRecording,
  findRecoverableRecordings,
  formatBytes,
  type RecoverableRecording,
  type Upload,
  UploadItem,
  useTessera,
} from '@tessera/react';
import { useEffect, useState } from 'react';
import { describeRefusal } from './describeRefusal';

interface Recovered {
  recording: RecoverableRecording;
  upload: Upload | null;
  problem: string | null;
}

function describeProgress({ recordedBytes, uploadedBytes, checkpoint }: RecoverableRecording): string {
  const recorded = `${formatBytes(recordedBytes)} recorded`;
  if (checkpoint === null) return `${recorded}, not uploaded yet`;
  return `${recorded}, ${formatBytes(uploadedBytes)} of it already uploaded`;
}

/**
 * Recordings cut off by a closed or crashed tab, however early: upload what was recorded (resuming the
 * upload when the server had created one, else as a new upload), or discard it (which aborts its upload).
 * Core finds and settles them (`findRecoverableRecordings`, `continueRecording`, `discardRecording`); this
 * renders them, and nothing when there is none.
 */
export function RecordingRecovery({ endpoint }: { endpoint: string }) {
  const [items, setItems] = useState<Recovered[]>([]);
  const [listed, setListed] = useState(false);
  // The signed-in user's, where the provider scopes uploads to one.
  const { scope } = useTessera().options;
  useEffect(() => {
    let live = true;
    findRecoverableRecordings({ endpoint, ...(scope !== undefined && { scope }) }).then(
      (found) => {
        if (!live) return;
        setItems(found.map((recording) => ({ recording, upload: null, problem: null })));
        setListed(true);
      },
      () => live && setListed(true),
    );
    return () => {
      live = false;
    };
  }, [endpoint, scope]);
  // Lets a test (and a curious reader of the DOM) tell "nothing to recover" from "not looked yet".
  if (items.length === 0) return listed ? <span hidden data-testid="recording-recovery-checked" /> : null;

  const update = (id: string, change: Partial<Recovered> | null) =>
    setItems((current) =>
      change === null
        ? current.filter((item) => item.recording.id !== id)
        : current.map((item) => (item.recording.id === id ? { ...item, ...change } : item)),
    );
  const finish = async ({ recording }: Recovered) => {
    try {
      const upload = await continueRecording(recording, { endpoint, autoStart: true });
      update(recording.id, { upload, problem: null });
    } catch (error) {
      update(recording.id, { problem: describeRefusal(error) });
    }
  };
  const discard = async ({ recording }: Recovered) => {
    try {
      await discardRecording(recording, { endpoint });
      update(recording.id, null);
    } catch (error) {
      update(recording.id, { problem: describeRefusal(error) });
    }
  };

  return (
    <section className="recovery" aria-labelledby="recovery-heading" data-testid="recording-recovery">
      <h3 id="recovery-heading">Recordings cut off</h3>
      <p className="hint">
        These recordings stopped when their tab closed. What was recorded is saved in this browser; upload it now.
      </p>
      <ul className="recovery-list">
        {items.map((item) =>
          item.upload ? (
            <UploadItem key={item.recording.id} upload={item.upload} showParts={false} />
          ) : (
            <li
              key={item.recording.id}
              className="recovery-item"
              data-state="waiting"
              data-recording-id={item.recording.id}
              data-resumes={item.recording.checkpoint ? 'upload' : 'none'}
              data-recorded-bytes={item.recording.recordedBytes}
            >
              <span className="recovery-name">{item.recording.name}</span>
              <span className="hint">
                {item.recording.startedAt === null
                  ? null
                  : `Started ${new Date(item.recording.startedAt).toLocaleString()}: `}
                {describeProgress(item.recording)}
              </span>
              {item.problem ? <p role="alert" className="refusal">{item.problem}</p> : null}
              <div className="recovery-actions">
                <button type="button" className="button-primary" data-action="upload-recording" onClick={() => void finish(item)}>
                  Upload what was recorded
                </button>
                <button type="button" className="button-quiet" data-action="discard-recording" onClick={() => void discard(item)}>
                  Discard
                </button>
              </div>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
