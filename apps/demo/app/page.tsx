import Link from 'next/link';
import { SiteHeader } from '../components/SiteHeader';
import { UploadWorkspace } from '../components/UploadWorkspace';
import { requireUser } from '../lib/currentUser';

export default async function UploadPage() {
  const user = await requireUser();
  return (
    <>
      <SiteHeader user={user} current="upload" />
      <main className="page">
        <div className="page-intro">
          <h1>Upload</h1>
          <p className="lead">
            Files and recordings go in parts straight from this browser to the store, through short-lived signed
            URLs. Close the tab, lose the network or reload: the upload carries on from the parts already stored.
            Finished uploads are in <Link href="/files">My files</Link>.
          </p>
        </div>
        <UploadWorkspace user={user} />
      </main>
    </>
  );
}
