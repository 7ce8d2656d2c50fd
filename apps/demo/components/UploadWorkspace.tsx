'use client';
import { ResumableUpload, TesseraProvider, UploadRecorder } from '@tessera/react';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { GuardedResumePanel } from './GuardedResumePanel';
import { NetworkBanner } from './NetworkBanner';
import { RecordingRecovery } from './RecordingRecovery';
import { UPLOAD_ENDPOINT } from './uploadEndpoint';

/**
 * The upload page's working part: files (`<ResumableUpload>`) and recordings (`<UploadRecorder>`), scoped to
 * the signed-in `user`: on a browser two people share, each sees only their own unfinished uploads.
 */
export function UploadWorkspace({ user }: { user: string }) {
  const [recorded, setRecorded] = useState<string | null>(null);
  const options = useMemo(() => ({ scope: user }), [user]);
  return (
    <TesseraProvider endpoint={UPLOAD_ENDPOINT} options={options}>
      <NetworkBanner />
      <div className="workspace">
        <section className="card" aria-labelledby="files-heading">
          <div className="card-header">
            <h2 id="files-heading">Upload files</h2>
            <p className="hint">Any type, up to 20 GB each. Several at once are fine.</p>
          </div>
          <ResumableUpload
            label="Upload files"
            slots={{ resumePanel: (resumable) => <GuardedResumePanel resumable={resumable} /> }}
          />
        </section>
        <section className="card" aria-labelledby="record-heading">
          <div className="card-header">
            <h2 id="record-heading">Record</h2>
            <p className="hint">
              Your screen or camera, uploaded while you record. What is recorded is saved in this browser four
              times a second, so a closed tab loses at most the last quarter of a second.
            </p>
          </div>
          <UploadRecorder kinds={['screen', 'camera']} onComplete={({ key }) => setRecorded(key)} />
          {recorded ? (
            <p className="notice" role="status" data-testid="recording-stored">
              Recording stored. <Link href="/files">Play it in My files</Link>.
            </p>
          ) : null}
          <RecordingRecovery endpoint={UPLOAD_ENDPOINT} />
        </section>
      </div>
    </TesseraProvider>
  );
}
