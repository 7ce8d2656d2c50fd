'use client';
import {
  type Checkpoint,
  createFetchTransport,
  createIndexedDbCheckpointStore,
  discardUnfinishedUpload,
  findResumableUploads,
  formatBytes,
  listRecordings,
  openRecordingBuffer,
  reopenRecording,
  resumeUpload,
  type Upload,
  UploadItem,
} from '@tessera/react';
import { useEffect, useState } from 'react';
import { describeRefusal } from './describeRefusal';

interface Recovered {
  checkpoint: Checkpoint;
  /** Bytes of the recording saved in this browser. */
  recordedBytes: number;
  upload: Upload | null;
  problem: string | null;
}

// Recordings whose page died (closed tab, crash) before their upload finished: the bytes are in this
// browser's storage (OPFS or IndexedDB), and the checkpoint says which upload they belong to.
async function findUnfinishedRecordings(endpoint: string): Promise<Recovered[]> {
  const [stored, checkpoints] = await Promise.all([listRecordings(), findResumableUploads({ endpoint })]);
  const ids = new Set(stored);
  const found = checkpoints.filter((checkpoint) => checkpoint.source === 'growing' && ids.has(checkpoint.id));
  // Opening a recording holds it for this page (other tabs leave it alone); resuming reuses the open buffer.
  // One that another tab opened in the meantime is that tab's to finish.
  const opened = await Promise.all(
    found.map((checkpoint) =>
      openRecordingBuffer(checkpoint.id, { create: false }).then(
        (buffer): Recovered => ({ checkpoint, recordedBytes: buffer.size(), upload: null, problem: null }),
        () => null,
      ),
    ),
  );
  return opened.filter((item) => item !== null);
}

/**
 * Recordings cut off by a closed tab: upload what was recorded (the store keeps the parts already sent),
 * or discard it. Core does the work (`reopenRecording`, `resumeUpload`); renders nothing when there is none.
 */
export function RecordingRecovery({ endpoint }: { endpoint: string }) {
  const [items, setItems] = useState<Recovered[]>([]);
  useEffect(() => {
    let live = true;
    findUnfinishedRecordings(endpoint).then(
      (found) => live && setItems(found),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [endpoint]);
  if (items.length === 0) return null;

  const update = (id: string, change: Partial<Recovered> | null) =>
    setItems((current) =>
      change === null
        ? current.filter((item) => item.checkpoint.id !== id)
        : current.map((item) => (item.checkpoint.id === id ? { ...item, ...change } : item)),
    );
  const finish = async ({ checkpoint }: Recovered) => {
    try {
      const source = await reopenRecording(checkpoint.id, { name: checkpoint.fileName, type: checkpoint.contentType });
      const upload = resumeUpload(checkpoint, { source, endpoint, id: checkpoint.id, autoStart: true });
      update(checkpoint.id, { upload, problem: null });
    } catch (error) {
      update(checkpoint.id, { problem: describeRefusal(error) });
    }
  };
  const discard = async ({ checkpoint }: Recovered) => {
    try {
      await discardUnfinishedUpload(checkpoint, {
        transport: createFetchTransport({ endpoint }),
        checkpoints: createIndexedDbCheckpointStore(),
      });
      await (await openRecordingBuffer(checkpoint.id, { create: false })).discard();
      update(checkpoint.id, null);
    } catch (error) {
      update(checkpoint.id, { problem: describeRefusal(error) });
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
            <UploadItem key={item.checkpoint.id} upload={item.upload} showParts={false} />
          ) : (
            <li key={item.checkpoint.id} className="recovery-item" data-state="waiting">
              <span className="recovery-name">{item.checkpoint.fileName}</span>
              <span className="hint">
                Started {new Date(item.checkpoint.createdAt).toLocaleString()}: {formatBytes(item.recordedBytes)}{' '}
                recorded, {formatBytes(item.checkpoint.parts.reduce((sum, part) => sum + part.size, 0))} of it already
                uploaded
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
