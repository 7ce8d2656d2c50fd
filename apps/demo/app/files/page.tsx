import { formatBytes } from '@tessera/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { SiteHeader } from '../../components/SiteHeader';
import { StoredObjectCard } from '../../components/StoredObjectCard';
import { requireUser } from '../../lib/currentUser';
import { LINK_TTL_SECONDS, listStoredObjects, userPrefix } from '../../src/storedObjects';

export const metadata: Metadata = { title: 'My files' };

export default async function FilesPage() {
  const user = await requireUser();
  const objects = await listStoredObjects(user);
  const total = objects.reduce((sum, object) => sum + object.size, 0);
  return (
    <>
      <SiteHeader user={user} current="files" />
      <main className="page">
        <div className="page-intro">
          <h1>My files</h1>
          <p className="lead">
            {objects.length === 0
              ? 'Nothing here yet.'
              : `${objects.length} ${objects.length === 1 ? 'file' : 'files'}, ${formatBytes(total)}.`}{' '}
            Listed straight from the store (keys under <code>{userPrefix(user)}</code>), so the server keeps no
            database. Links are signed for {LINK_TTL_SECONDS / 60} minutes; videos stream with range requests and
            seek.
          </p>
        </div>
        {objects.length === 0 ? (
          <div className="card empty">
            <p>
              Your uploads and recordings appear here once complete. <Link href="/">Upload something</Link>.
            </p>
          </div>
        ) : (
          <ul className="object-grid" aria-label="Stored files">
            {objects.map((object) => (
              <StoredObjectCard key={object.key} object={object} />
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
