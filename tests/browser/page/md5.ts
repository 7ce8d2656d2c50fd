import { md5 } from 'hash-wasm';

/** Base64 MD5 of a Blob's bytes (the Content-MD5 a presigned part URL binds). The bytes read are dropped. */
export async function md5Base64(blob: Blob): Promise<string> {
  return hexToBase64(await md5(new Uint8Array(await blob.arrayBuffer())));
}

function hexToBase64(hex: string): string {
  let binary = '';
  for (let i = 0; i < hex.length; i += 2) binary += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
  return btoa(binary);
}
