import { formatBytes } from '@tessera/react';
import type { StoredObject } from '../src/storedObjects';

function Preview({ object }: { object: StoredObject }) {
  const family = object.contentType.split('/')[0];
  if (family === 'video') {
    return <video className="preview" controls preload="metadata" src={object.url} aria-label={`Play ${object.name}`} />;
  }
  if (family === 'audio') return <audio className="preview-audio" controls preload="metadata" src={object.url} />;
  if (family === 'image') {
    // A plain <img>: next/image would proxy the presigned URL (another origin) through this server.
    return <img className="preview" src={object.url} alt={object.name} loading="lazy" />;
  }
  const extension = object.name.includes('.') ? object.name.slice(object.name.lastIndexOf('.') + 1) : 'file';
  return (
    <div className="preview preview-file" aria-hidden="true">
      <span>{extension.slice(0, 6).toUpperCase()}</span>
    </div>
  );
}

/** One stored object: a player or preview, its facts, and signed links to open and download it. */
export function StoredObjectCard({ object }: { object: StoredObject }) {
  const uploaded = new Date(object.lastModified);
  return (
    <li className="object-card" data-key={object.key} data-content-type={object.contentType}>
      <Preview object={object} />
      <div className="object-body">
        <h2 className="object-name" title={object.name}>
          {object.name}
        </h2>
        <p className="object-meta">
          {formatBytes(object.size)} · {object.contentType} ·{' '}
          <time dateTime={object.lastModified}>{uploaded.toUTCString().replace(/:\d\d GMT$/, ' UTC')}</time>
        </p>
        {object.sha256 ? (
          <p className="object-hash" title={object.sha256}>
            SHA-256 <code>{object.sha256.slice(0, 16)}…</code>
          </p>
        ) : null}
        <div className="object-actions">
          <a href={object.url} target="_blank" rel="noreferrer" className="button-quiet">
            Open
          </a>
          <a href={object.downloadUrl} className="button-primary" download={object.name}>
            Download
          </a>
        </div>
      </div>
    </li>
  );
}
