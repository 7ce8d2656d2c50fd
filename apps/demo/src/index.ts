import type { UploadHandlerOptions } from '@tessera/server-adapter';

/** Where the demo's store is; `npm run demo` starts it with these values. */
export interface DemoStore {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const DEMO_USER_COOKIE = 'tessera-demo-user';

/** The user a demo request claims with its cookie; anyone without one is `guest`. */
export function demoUser(request: Request): string {
  const cookie = request.headers.get('cookie') ?? '';
  const match = new RegExp(`(?:^|;\\s*)${DEMO_USER_COOKIE}=([A-Za-z0-9_-]{1,40})`).exec(cookie);
  return match?.[1] ?? 'guest';
}

/** The demo's upload handler options: the embedded store, a generous video-friendly policy. */
export function demoHandlerOptions(store: DemoStore, secret: string): UploadHandlerOptions {
  return {
    bucket: store.bucket,
    s3: {
      endpoint: store.endpoint,
      region: store.region,
      forcePathStyle: true,
      credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
    },
    secret,
    authorize: (request) => ({ userId: demoUser(request) }),
    policy: { maxFileSize: 20 * 1024 ** 3 },
  };
}
