/**
 * Evaporate 2.1 in the page. It signs with SigV4 through `customAuthMethod` (here: HMAC with the local
 * store's test secret, in Web Crypto), reads every part into memory to compute its Content-MD5 (its SigV4
 * mode requires it) and sends those bytes. Like lib-storage it calls the store directly for create and
 * complete, so it runs in a Chromium started with `--disable-web-security`.
 */
import Evaporate from 'evaporate';
import { createMD5, createSHA256 } from 'hash-wasm';
import { benchConfig } from '../benchApi.js';

export async function uploadWithEvaporate(
  file: File,
  options: { key: string; partSize: number; concurrency: number },
): Promise<{ key: string }> {
  const { store } = await benchConfig();
  // Evaporate calls its hash functions synchronously; hash-wasm's hashers are synchronous once created.
  const [md5, sha256] = await Promise.all([createMD5(), createSHA256()]);
  const evaporate = await Evaporate.create({
    aws_key: store.accessKeyId,
    aws_url: store.endpoint,
    bucket: store.bucket,
    awsRegion: store.region,
    awsSignatureVersion: '4',
    computeContentMd5: true,
    cryptoMd5Method: (data) => bytesToBase64(md5.init().update(toBytes(data)).digest('binary')),
    cryptoHexEncodedHash256: (data) => sha256.init().update(typeof data === 'string' ? data : toBytes(data)).digest('hex'),
    // Evaporate signs `host` without the port (it reads the URL's hostname), but the browser sends
    // `Host: 127.0.0.1:<port>`: the signer puts the port back into the canonical request before signing.
    customAuthMethod: (_params, _headers, stringToSign, signatureDateTime, canonicalRequest) => {
      const fixed = canonicalRequest.replace(/^host:.*$/m, `host:${new URL(store.endpoint).host}`);
      const lines = decodeURIComponent(stringToSign).split('\n'); // Evaporate hands it URI-encoded
      lines[3] = sha256.init().update(fixed).digest('hex');
      return sigV4Signature(store.secretAccessKey, signatureDateTime.slice(0, 8), store.region, lines.join('\n'));
    },
    partSize: options.partSize,
    maxConcurrentParts: options.concurrency,
    logging: localStorage.getItem('bench-debug') === '1',
    s3FileCacheHoursAgo: null,
    allowS3ExistenceOptimization: false,
  });
  const key = await new Promise<string>((resolve, reject) => {
    evaporate
      .add({
        name: options.key,
        file,
        contentType: file.type || 'application/octet-stream',
        error: (message) => reject(new Error(`evaporate: ${message}`)),
      })
      .then(resolve, (reason: unknown) => reject(new Error(`evaporate: ${String(reason)}`)));
  });
  return { key };
}

function toBytes(data: ArrayBuffer | Uint8Array): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function hmac(key: BufferSource, data: string): Promise<ArrayBuffer> {
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', imported, new TextEncoder().encode(data));
}

/** SigV4: the signing key chain from the secret, then HMAC of the string to sign, as hex. */
async function sigV4Signature(secret: string, date: string, region: string, stringToSign: string): Promise<string> {
  let key = await hmac(new TextEncoder().encode(`AWS4${secret}`), date);
  for (const part of [region, 's3', 'aws4_request']) key = await hmac(key, part);
  const signature = new Uint8Array(await hmac(key, stringToSign));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
