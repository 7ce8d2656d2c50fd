'use client';
import { type Checkpoint, type ResumableUploads, ResumePanel } from '@tessera/react';
import { useState } from 'react';
import { describeRefusal } from './describeRefusal';

/**
 * The package's unfinished-uploads panel, with Discard's refusals shown: in a browser shared by two users,
 * one sees the other's unfinished upload but the server refuses to abort it (403).
 */
export function GuardedResumePanel({ resumable }: { resumable: ResumableUploads }) {
  const [refusal, setRefusal] = useState<{ fileName: string; message: string } | null>(null);
  const discard = (checkpoint: Checkpoint) => {
    setRefusal(null);
    resumable.discard(checkpoint).catch((error: unknown) => {
      setRefusal({ fileName: checkpoint.fileName, message: describeRefusal(error) });
    });
  };
  return (
    <>
      <ResumePanel items={resumable.items} onResume={resumable.resume} onDiscard={discard} />
      {refusal ? (
        <p role="alert" className="refusal" data-testid="discard-refusal">
          Could not discard {refusal.fileName}: {refusal.message}
        </p>
      ) : null}
    </>
  );
}
