'use client';
import { clearUnfinishedUploads, discardRecording, findRecoverableRecordings } from '@tessera/react';
import { useState } from 'react';
import { UPLOAD_ENDPOINT } from './uploadEndpoint';

/**
 * Sign out, after forgetting what this browser keeps of the user's unfinished uploads (their checkpoints hold
 * upload tokens, their recordings the recorded bytes), each aborted on the server: the next person to sign in on
 * this browser finds nothing of theirs. Best effort: signing out never waits on a server that cannot be reached.
 */
export function SignOutButton({ user }: { user: string }) {
  const [busy, setBusy] = useState(false);
  const clear = async () => {
    const recordings = await findRecoverableRecordings({ endpoint: UPLOAD_ENDPOINT, scope: user }).catch(() => []);
    await Promise.all(recordings.map((recording) => discardRecording(recording, { endpoint: UPLOAD_ENDPOINT }).catch(() => undefined)));
    await clearUnfinishedUploads({ scope: user, abort: { endpoint: UPLOAD_ENDPOINT } }).catch(() => 0);
  };
  return (
    <button
      type="submit"
      className="button-quiet"
      disabled={busy}
      onClick={(event) => {
        if (busy) return;
        // Clear first, then let the form submit (the server action ends the session).
        event.preventDefault();
        const form = event.currentTarget.form;
        setBusy(true);
        void clear().finally(() => form?.requestSubmit());
      }}
    >
      {busy ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
