/**
 * Generated hostile requests (fast-check) across every route, through real HTTP into the real handler
 * and store: methods, paths (unicode, percent-encoding, traversal, very long), content types, tokens
 * (missing, tampered, another user's, another upload's, expired, another secret's, of an old format),
 * JSON of every wrong shape and number at and past every limit, hostile file names, cross-user calls and
 * replays after complete and abort.
 *
 * On every request: no 5xx (a 502 `store-error` would be a declared outage, and none is expected), every
 * refusal a 4xx `{ error: { code, message, field? } }` with a known code at its status and the field to
 * blame where there is one; a success only for the owner with the upload's own token, in a state that
 * allows it. Per batch of requests: the bucket (multipart uploads and objects, intent records included)
 * changed exactly as the successes say, so any refused request with an effect is caught.
 *
 * `HOSTILE_RUNS` sets the number of requests (default 1,200; `npm run test:hostile` sends 20,000) and
 * `HOSTILE_SEED` the seed (printed by every run, so a failing run can be replayed).
 */
import { AbortMultipartUploadCommand, DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storeClient } from '../../scripts/swiftStore.js';
import { bucketState, objectLine, uploadLine } from '../support/bucketState.js';
import {
  type Fixture,
  FIXTURE_NAMES,
  type FixtureName,
  makeFixtures,
  POLICY_MAX,
  type ServerName,
  WHALE,
} from '../support/hostileFixtures.js';
import { type HostileRequest, hostileRequest, ROUTES } from '../support/hostileRequests.js';
import { HostileTally } from '../support/hostileTally.js';
import { judge, type ResolvedRequest, resolveRequest, send } from '../support/sendHostile.js';
import { startUploadServer, TEST_USER_HEADER, type UploadServer } from '../support/uploadServer.js';

const MiB = 1024 * 1024;
const store = inject('store');
const REQUESTS = Number(process.env.HOSTILE_RUNS ?? 1_200);
const SEED =
  process.env.HOSTILE_SEED === undefined
    ? (Date.now() ^ (Math.random() * 2 ** 31)) >>> 0
    : Number(process.env.HOSTILE_SEED);
/** Requests per fast-check run: the bucket is compared before and after each run. */
const BATCH = 40;
/** Problems kept in full for the report; all are counted. */
const KEPT_PROBLEMS = 40;

let servers: Record<ServerName, UploadServer>;
let bases: Record<ServerName, string>;
let s3: S3Client;
let fixtures: Record<FixtureName, Fixture>;
const serviceErrors: string[] = [];
const tally = new HostileTally();
const problems: string[] = [];
let problemCount = 0;

function report(text: string): void {
  problemCount++;
  if (problems.length < KEPT_PROBLEMS) problems.push(text);
}

const onError = (error: unknown) => {
  serviceErrors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
};

beforeAll(async () => {
  s3 = storeClient(store);
  servers = {
    default: await startUploadServer(store, {
      onError,
      // `whale` may upload up to S3's 5 TiB: uploads of 10,000 parts.
      authorize: (request) => {
        const userId = request.headers.get(TEST_USER_HEADER);
        if (!userId) return null;
        return userId === WHALE ? { userId, policy: { maxFileSize: POLICY_MAX.whale } } : { userId };
      },
    }),
    strict: await startUploadServer(store, {
      onError,
      policy: { allowedTypes: ['video/*'], allowUnknownSize: false, maxFileSize: POLICY_MAX.strict },
    }),
    bare: await startUploadServer(store, { onError, checksumAlgorithm: 'none' }),
  };
  bases = { default: servers.default.url, strict: servers.strict.url, bare: servers.bare.url };
  fixtures = (await makeFixtures(bases)) as Record<FixtureName, Fixture>;
});

afterAll(async () => {
  // The fixtures' open uploads and completed objects go; what other suites left stays.
  for (const fixture of Object.values(fixtures ?? {})) await discard(fixture);
  await Promise.all(Object.values(servers ?? {}).map((server) => server.close()));
  s3?.destroy();
});

/** Remove what `fixture` left in the store: its multipart upload, or its object. */
async function discard(fixture: Fixture): Promise<void> {
  const { key, uploadId } = fixture.upload;
  await s3.send(new AbortMultipartUploadCommand({ Bucket: store.bucket, Key: key, UploadId: uploadId })).catch(() => {});
  if (fixture.state === 'completed') await s3.send(new DeleteObjectCommand({ Bucket: store.bucket, Key: key }));
}

/** What one batch's successes did to the store, and its requests as sent, for a report. */
interface BatchRecord {
  expected: Set<string>;
  createdUploads: Array<{ key: string; uploadId: string }>;
  changed: Set<FixtureName>;
  log: string[];
}

/** Send one request, judge its answer, and write down what a success changed. */
async function handle(resolved: ResolvedRequest, index: number, batch: BatchRecord): Promise<void> {
  const { request, reached } = resolved;
  const holder = resolved.tokenFixture === null ? null : fixtures[resolved.tokenFixture];
  if (holder && holder.state !== 'open' && resolved.user === holder.userId) {
    tally.replay(holder.state === 'completed' ? 'complete' : 'abort');
  }
  const sentAt = performance.now();
  const answer = await send(resolved);
  const { problems: found, error } = judge(resolved, answer, fixtures);
  const status = answer.failure === null ? answer.status : null;
  tally.answer(reached ?? 'no route', status, error?.code ?? null, performance.now() - sentAt);
  const line =
    `#${index} ${resolved.method} ${resolved.url.slice(0, 160)} (${request.route} of ${request.target}, ` +
    `user ${JSON.stringify(resolved.user)?.slice(0, 40)}, token ${JSON.stringify(request.token).slice(0, 60)})` +
    ` → ${answer.status} ${answer.text.slice(0, 160)}`;
  batch.log[index] = line;
  if (found.length > 0) report(`${line}\n    body: ${String(resolved.body ?? '').slice(0, 300)}\n    ${found.join('\n    ')}`);

  if (answer.status === 201 && reached === 'create') {
    const { key, uploadId } = JSON.parse(answer.text) as { key: string; uploadId: string };
    batch.createdUploads.push({ key, uploadId });
    batch.expected.add(uploadLine(key, uploadId));
    tally.effect('created');
  }
  if (answer.status === 200 && holder?.state === 'open' && (reached === 'abort' || reached === 'complete')) {
    batch.expected.delete(uploadLine(holder.upload.key, holder.upload.uploadId));
    if (reached === 'complete') {
      batch.expected.add(objectLine(holder.upload.key, (JSON.parse(answer.text) as { etag: string }).etag));
    }
    holder.state = reached === 'complete' ? 'completed' : 'aborted';
    batch.changed.add(holder.name);
    tally.effect(holder.state);
  }
}

/**
 * Send a batch and compare the bucket before and after. Requests that could change the same upload (same
 * token) go in order, in one lane; lanes run side by side. Then clear what the batch created and remake
 * the fixtures it used up, so every batch starts from the same fixtures.
 */
async function runBatch(requests: readonly HostileRequest[]): Promise<void> {
  tally.batches++;
  const before = await bucketState(s3, store.bucket);
  const batch: BatchRecord = { expected: new Set(before), createdUploads: [], changed: new Set(), log: [] };
  const lanes = new Map<string, Array<[ResolvedRequest, number]>>();
  requests.forEach((request, index) => {
    const resolved = resolveRequest(request, fixtures, bases);
    const lane = resolved.tokenFixture ?? request.target;
    lanes.set(lane, [...(lanes.get(lane) ?? []), [resolved, index]]);
  });
  await Promise.all(
    [...lanes.values()].map(async (lane) => {
      for (const [resolved, index] of lane) await handle(resolved, index, batch);
    }),
  );

  const after = await bucketState(s3, store.bucket);
  const appeared = after.filter((line) => !batch.expected.has(line));
  const vanished = [...batch.expected].filter((line) => !after.includes(line));
  if (appeared.length > 0 || vanished.length > 0) {
    report(
      `the bucket changed beyond what the successes did:\n    appeared ${JSON.stringify(appeared)}\n` +
        `    vanished ${JSON.stringify(vanished)}\n    batch:\n      ${batch.log.join('\n      ')}`,
    );
  }

  for (const { key, uploadId } of batch.createdUploads) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: store.bucket, Key: key, UploadId: uploadId }));
  }
  for (const name of batch.changed) await discard(fixtures[name]);
  Object.assign(fixtures, await makeFixtures(bases, [...batch.changed]));
  tally.fixturesRemade += batch.changed.size;
}

describe('generated hostile requests', () => {
  it(
    `${REQUESTS} requests: typed 4xx refusals, successes only where allowed, no effect of a refused request`,
    async () => {
      console.log(
        `hostile requests: seed ${SEED}, ${REQUESTS} requests in batches of ${BATCH} ` +
          `(replay: HOSTILE_SEED=${SEED} HOSTILE_RUNS=${REQUESTS})`,
      );
      const started = performance.now();
      await fc.assert(fc.asyncProperty(fc.array(hostileRequest, { minLength: BATCH, maxLength: BATCH }), runBatch), {
        seed: SEED,
        numRuns: Math.ceil(REQUESTS / BATCH),
        endOnFailure: true,
      });
      console.log(tally.summary((performance.now() - started) / 1000, serviceErrors.length, problemCount));

      expect(tally.requests).toBeGreaterThanOrEqual(REQUESTS);
      for (const route of ROUTES) {
        expect(tally.byRoute.get(route) ?? 0, `requests reaching ${route}`).toBeGreaterThan(REQUESTS / 20);
      }
      expect(problems, `${problemCount} problems (first ${problems.length} shown)`).toEqual([]);
      expect(serviceErrors.slice(0, 5), `${serviceErrors.length} onError calls`).toEqual([]);
      expect(tally.storeOutages).toBe(0);
    },
    Math.max(120_000, REQUESTS * 60),
  );

  it('made the fixtures it aims at', () => {
    expect(Object.keys(fixtures).sort()).toEqual([...FIXTURE_NAMES].sort());
    expect(fixtures.whale.upload.partCount).toBe(10_000);
    expect(fixtures.strictMax.upload.size).toBe(100 * MiB);
  });
});
