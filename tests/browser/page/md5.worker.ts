/** Module worker: answers `{ id, blob }` with `{ id, checksum }` (base64 MD5) or `{ id, error }`. */
import { md5Base64 } from './md5.js';

addEventListener('message', (event: MessageEvent<{ id: number; blob: Blob }>) => {
  const { id, blob } = event.data;
  md5Base64(blob).then(
    (checksum) => postMessage({ id, checksum }),
    (error: unknown) => postMessage({ id, error: String(error) }),
  );
});
