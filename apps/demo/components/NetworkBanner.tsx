'use client';
import { useSyncExternalStore } from 'react';

function subscribe(listener: () => void): () => void {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

/** Says so while the browser is offline; uploads wait and carry on by themselves when it is back. */
export function NetworkBanner() {
  const online = useSyncExternalStore(
    subscribe,
    () => navigator.onLine,
    () => true,
  );
  return (
    <div role="status" className="network-banner" data-state={online ? 'online' : 'offline'} hidden={online}>
      <strong>You are offline.</strong> Uploads are waiting and will continue on their own when the connection
      is back.
    </div>
  );
}
