/**
 * P6: the route handler alone, in this Node process (one thread, so one core), called as `Request → Response`
 * against a store of its own, like the run's but with a 64 KiB minimum part size (and the handler's policy
 * lowered to match), so that uploads of up to 1,001 real parts are cheap to prepare. Every operation is timed
 * back to back, one call at a time, with what it needs prepared before (complete: create, sign and PUT of
 * every part), and the handler's S3 client counts each request it sends.
 *
 * - create: a 4 GiB video at the run's part size (CreateMultipartUpload, a token);
 * - sign: 100-part batches (the protocol's maximum) of one 10,000-part upload, walking fresh part numbers,
 *   and 8-part ones (what the browser client asks for at its default concurrency of 4);
 * - list: the parts of an upload of 100 and of 1,001 parts (the store pages ListParts at 1,000, as S3);
 * - complete: uploads of 10, 100 and 1,000 parts, and the 10-part ones again (a retry after a lost answer);
 * - abort: the uploads create made (open, no parts);
 * - for reference, a bare HeadObject through the SDK: what one store request costs this process.
 */
import { rmSync } from 'node:fs';
import { HeadObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { CreateUploadResponse, SignPartsResponse } from '@tessera/core';
import { createS3Gateway, createUploadHandler, UploadTokens, type UploadPolicy } from '@tessera/server-adapter';
import { type StoreInfo, startSwiftStore, stopSwiftStore } from '../../../scripts/swiftStore.js';
import { handlerOptions } from '../../../tests/support/uploadServer.js';
import type { BenchPlan, Section } from '../benchPlan.js';
import { pass, table } from '../format.js';
import { HandlerClient, type PreparedUpload, prepareUpload } from '../handlerClient.js';
import { type CallFigures, heapPerCall, measureCalls } from '../measureCalls.js';
import {
  countingS3Config,
  STORE_OPERATIONS,
  type StoreRequestCounts,
  StoreRequestCounter,
  WRITE_CLASS,
} from '../storeRequestCounter.js';

const MiB = 1024 * 1024;
const BATCH = 100;
/** What the browser client signs at a time: 2 × concurrency parts, at its default concurrency of 4. */
const CLIENT_BATCH = 8;
const SIGN_WARM_UP = 50;
const WARM_UP = 3;
/** Part size of the uploads list and complete are timed on: the bytes do not matter to either, the count does. */
const SMALL_PART = 64 * 1024;
const LIST_PARTS = [100, 1001] as const;
/** Part counts of the completes, and their share of `serverCalls` (each needs an upload of its own). */
const COMPLETES = [
  { parts: 10, share: 1 },
  { parts: 100, share: 0.5 },
  { parts: 1000, share: 0.1 },
] as const;
const IN_FLIGHT = 64;
/** A typical identity and file: a UUID user id and a camera's file name. */
const USER_ID = '6f1c2b9e-3d4a-4e5f-9a7b-8c9d0e1f2a3b';
const VIDEO = { fileName: 'family-holiday-2024.mp4', contentType: 'video/mp4', size: 4 * 1024 * MiB };
/**
 * For the sizes on AWS (computed offline, nothing is sent): AWS's upload ids are longer than Swift's, and
 * temporary credentials (an instance or task role) add a session token to every URL. Neither length is
 * documented; these are placeholders of a plausible length, named in the report.
 */
const AWS = { bucket: 'tessera-uploads', region: 'eu-west-1', uploadIdLength: 128, sessionTokenLength: 1000 };

export async function serverScenario(plan: BenchPlan): Promise<Section> {
  const dir = `${plan.context.store.dir}-p6`;
  // Ctrl-C or `timeout` during P6: stopSwiftStore signals the store's processes before its first await.
  const stopNow = () => void stopSwiftStore(dir);
  process.once('SIGINT', stopNow).once('SIGTERM', stopNow);
  try {
    plan.context.log(`  starting a store with ${SMALL_PART / 1024} KiB minimum part size in ${dir}`);
    const store = await startSwiftStore({ dir, bucket: plan.context.store.bucket, minPartSize: SMALL_PART });
    return await measureServer(plan, store);
  } finally {
    process.off('SIGINT', stopNow).off('SIGTERM', stopNow);
    await stopSwiftStore(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Sizes {
  tokenBytes: number;
  awsTokenBytes: number;
  awsUrlBytes: number;
  awsSessionUrlBytes: number;
  keyBytes: number;
  uploadIdBytes: number;
  createAnswerBytes: number;
  signRequestBytes: number;
  signAnswerBytes: number;
  urlBytes: number;
  listAnswerBytes: Record<number, number>;
  completeRequestBytes: Record<number, number>;
}

async function measureServer(plan: BenchPlan, store: StoreInfo): Promise<Section> {
  const { log } = plan.context;
  const { partSize, signBatches, serverCalls } = plan.options;
  const counter = new StoreRequestCounter();
  const base = handlerOptions(store);
  const s3 = countingS3Config(base.s3 as S3ClientConfig, counter);
  const clientWith = (policy: UploadPolicy) =>
    new HandlerClient(createUploadHandler({ ...base, s3, authorize: () => ({ userId: USER_ID, policy }) }));
  const large = clientWith({ preferredPartSize: partSize, maxFileSize: 10_000 * partSize });
  const small = clientWith({ preferredPartSize: SMALL_PART, minPartSize: SMALL_PART });
  const figures: Record<string, CallFigures> = {};
  const done = (name: string, result: CallFigures) => {
    figures[name] = result;
    log(`  ${name}: ${result.perSecond.toFixed(0)}/s, ${result.perCpuSecond.toFixed(0)}/CPU-s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`);
  };

  const created: CreateUploadResponse[] = [];
  let createAnswerBytes = 0;
  done('create', await measureCalls(counter, { calls: serverCalls, warmUp: WARM_UP }, async (index) => {
    const answer = await large.create(VIDEO);
    created[index] = answer.body;
    createAnswerBytes = answer.bytes;
  }));
  done('abort', await measureCalls(counter, { calls: serverCalls, warmUp: WARM_UP }, (index) => large.abort(created[index] as CreateUploadResponse)));

  const { body: signUpload } = await large.create({ ...VIDEO, fileName: 'sign-bench.mp4', size: 10_000 * partSize });
  const checksum = Buffer.alloc(16, 7).toString('base64');
  const batchOf = (index: number, length = BATCH) => {
    const first = ((index * length) % (10_000 - length)) + 1;
    return Array.from({ length }, (_, offset) => ({ partNumber: first + offset, size: partSize, checksum }));
  };
  let signAnswer: SignPartsResponse | undefined;
  let signAnswerBytes = 0;
  done('sign', await measureCalls(counter, { calls: signBatches, warmUp: SIGN_WARM_UP }, async (index) => {
    const answer = await large.sign(signUpload, batchOf(index));
    if (answer.body.parts.length !== BATCH) throw new Error(`sign: ${answer.body.parts.length} parts`);
    signAnswer = answer.body;
    signAnswerBytes = answer.bytes;
  }));
  done(`sign ${CLIENT_BATCH}`, await measureCalls(counter, { calls: signBatches, warmUp: SIGN_WARM_UP }, async (index) => {
    const answer = await large.sign(signUpload, batchOf(index, CLIENT_BATCH));
    if (answer.body.parts.length !== CLIENT_BATCH) throw new Error(`sign: ${answer.body.parts.length} parts`);
  }));
  const hostile = await hostileLoad(counter, large, signUpload, (index) => batchOf(index, CLIENT_BATCH), serverCalls, log);
  const sdk = new S3Client(s3);
  const missing = new HeadObjectCommand({ Bucket: store.bucket, Key: 'uploads/nobody/none.bin' });
  done('HeadObject', await measureCalls(counter, { calls: serverCalls, warmUp: WARM_UP }, () => sdk.send(missing).catch(() => null)));
  sdk.destroy();

  const listAnswerBytes: Record<number, number> = {};
  let largestList: PreparedUpload | undefined;
  for (const partCount of LIST_PARTS) {
    log(`  list: preparing an upload of ${partCount} parts`);
    const prepared = await prepareUpload(small, { name: `list-${partCount}.bin`, partCount, partSize: SMALL_PART });
    largestList = prepared;
    done(`list ${partCount}`, await measureCalls(counter, { calls: serverCalls, warmUp: WARM_UP }, async () => {
      const answer = await small.list(prepared.upload);
      if (answer.body.parts.length !== partCount) throw new Error(`list: ${answer.body.parts.length} of ${partCount} parts`);
      listAnswerBytes[partCount] = answer.bytes;
    }));
  }

  const prepareMany = async (count: number, partCount: number) => {
    log(`  complete: preparing ${count} uploads of ${partCount} parts`);
    const uploads: PreparedUpload[] = [];
    for (let index = 0; index < count; index++) {
      uploads.push(await prepareUpload(small, { name: `complete-${partCount}-${index}.bin`, partCount, partSize: SMALL_PART }));
    }
    return uploads;
  };
  const completerOf = (uploads: PreparedUpload[]) => async (index: number) => {
    const { upload, parts } = uploads[index] as PreparedUpload;
    const { body } = await small.complete(upload, parts);
    if (body.partCount !== parts.length) throw new Error(`complete: ${body.partCount} of ${parts.length} parts`);
  };
  const completeRequestBytes: Record<number, number> = {};
  for (const { parts: partCount, share } of COMPLETES) {
    const calls = Math.max(3, Math.round(serverCalls * share));
    const warmUp = share === 1 ? WARM_UP : 1;
    const uploads = await prepareMany(calls + warmUp, partCount);
    completeRequestBytes[partCount] = uploads[0]?.completeBytes ?? 0;
    done(`complete ${partCount}`, await measureCalls(counter, { calls, warmUp }, completerOf(uploads)));
    if (share === 1) done(`complete ${partCount} replayed`, await measureCalls(counter, { calls, warmUp }, completerOf(uploads)));
  }
  const inFlightCompletes = completerOf(await prepareMany(IN_FLIGHT, COMPLETES[0].parts));

  log(`  heap with ${IN_FLIGHT} calls in flight`);
  const listed = largestList as PreparedUpload;
  const heap = {
    create: await heapPerCall(IN_FLIGHT, () => large.create(VIDEO)),
    sign: await heapPerCall(IN_FLIGHT, (index) => large.sign(signUpload, batchOf(index))),
    [`sign ${CLIENT_BATCH}`]: await heapPerCall(IN_FLIGHT, (index) => large.sign(signUpload, batchOf(index, CLIENT_BATCH))),
    [`list ${listed.parts.length}`]: await heapPerCall(IN_FLIGHT, () => small.list(listed.upload)),
    [`complete ${COMPLETES[0].parts}`]: await heapPerCall(IN_FLIGHT, inFlightCompletes),
  };

  const sample = created[0] as CreateUploadResponse;
  const sizes: Sizes = {
    ...(await awsSizes(sample, base.secret, checksum)),
    tokenBytes: Buffer.byteLength(sample.token),
    keyBytes: Buffer.byteLength(sample.key),
    uploadIdBytes: Buffer.byteLength(sample.uploadId),
    createAnswerBytes,
    signRequestBytes: Buffer.byteLength(JSON.stringify({ parts: batchOf(SIGN_WARM_UP + signBatches - 1) })),
    signAnswerBytes,
    urlBytes: Math.max(...(signAnswer?.parts ?? []).map((part) => Buffer.byteLength(part.url))),
    listAnswerBytes,
    completeRequestBytes,
  };
  return report(plan, figures, sizes, heap, hostile);
}

/** What four clients sending hostile complete bodies at once cost the handler and everyone else. */
interface HostileFigures {
  /** CPU of one hostile request (a 1 MiB body of 349,000 empty parts, refused by count), ms. */
  cpuPerRequestMs: number;
  quiet: CallFigures;
  loaded: CallFigures;
  hostileRequests: number;
}

const HOSTILE_BODY = JSON.stringify({ parts: Array.from({ length: 349_000 }, () => ({})) });
const HOSTILE_CLIENTS = 4;

/**
 * The body that used to block the event loop for seconds (issue 14, defect 2): first its own CPU cost, then
 * the latency of an unrelated 8-part sign while four clients keep sending it, against the same sign alone.
 */
async function hostileLoad(
  counter: StoreRequestCounter,
  client: HandlerClient,
  upload: CreateUploadResponse,
  batch: (index: number) => Array<{ partNumber: number; size: number; checksum: string }>,
  calls: number,
  log: (line: string) => void,
): Promise<HostileFigures> {
  const refuse = () => client.completeRaw(upload, HOSTILE_BODY, 422);
  for (let index = 0; index < 3; index++) await refuse();
  const cpuBefore = process.cpuUsage();
  const alone = 20;
  for (let index = 0; index < alone; index++) await refuse();
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerRequestMs = (cpu.user + cpu.system) / 1000 / alone;
  const sign = (index: number) => client.sign(upload, batch(index));
  const quiet = await measureCalls(counter, { calls, warmUp: WARM_UP }, sign);
  let running = true;
  let hostileRequests = 0;
  const attackers = Array.from({ length: HOSTILE_CLIENTS }, async () => {
    while (running) {
      await refuse();
      hostileRequests++;
    }
  });
  const loaded = await measureCalls(counter, { calls, warmUp: WARM_UP }, sign);
  running = false;
  await Promise.all(attackers);
  log(
    `  hostile completes: ${cpuPerRequestMs.toFixed(2)} ms CPU each; sign p99 ${quiet.p99.toFixed(1)} ms alone, ${loaded.p99.toFixed(1)} ms beside ${HOSTILE_CLIENTS} hostile clients (${hostileRequests} refused)`,
  );
  return { cpuPerRequestMs, quiet, loaded, hostileRequests };
}

/** Token and part URL sizes for the same upload on AWS S3 (virtual-hosted style), computed offline. */
async function awsSizes(
  sample: CreateUploadResponse,
  secret: string | readonly string[],
  checksum: string,
): Promise<Pick<Sizes, 'awsTokenBytes' | 'awsUrlBytes' | 'awsSessionUrlBytes'>> {
  const uploadId = 'A'.repeat(AWS.uploadIdLength);
  const urlBytes = async (sessionToken?: string) => {
    const credentials = { accessKeyId: `AKIA${'X'.repeat(16)}`, secretAccessKey: 'x'.repeat(40), ...(sessionToken && { sessionToken }) };
    const gateway = createS3Gateway({ region: AWS.region, credentials }, AWS.bucket);
    const { url } = await gateway.presignUploadPart({
      key: sample.key,
      uploadId,
      partNumber: 1234,
      size: 8 * MiB,
      checksumAlgorithm: 'md5',
      checksum,
      expiresInSeconds: 300,
    });
    return Buffer.byteLength(url);
  };
  const tokens = new UploadTokens(secret);
  const claims = await tokens.verify(sample.token, Math.floor(Date.now() / 1000));
  return {
    awsTokenBytes: Buffer.byteLength(await tokens.sign({ ...claims, uploadId })),
    awsUrlBytes: await urlBytes(),
    awsSessionUrlBytes: await urlBytes('S'.repeat(AWS.sessionTokenLength)),
  };
}

const ROWS: Array<[name: string, label: string]> = [
  ['create', 'create (4 GiB video)'],
  ['sign', `sign (${BATCH}-part batch)`],
  [`sign ${CLIENT_BATCH}`, `sign (${CLIENT_BATCH}-part batch, the browser client's)`],
  ...LIST_PARTS.map((parts): [string, string] => [`list ${parts}`, `list (${parts.toLocaleString('en')} parts)`]),
  ...COMPLETES.flatMap(({ parts }): Array<[string, string]> => [
    [`complete ${parts}`, `complete (${parts.toLocaleString('en')} parts)`],
    [`complete ${parts} replayed`, `complete again (${parts} parts, a retry)`],
  ]),
  ['abort', 'abort (open upload)'],
  ['HeadObject', 'reference: one HeadObject of a missing key (404, as sign sees) through the SDK alone'],
];

/** Calls per second: whole numbers, one decimal below 10 (a 1,000-part complete takes seconds). */
const rate = (perSecond: number) => perSecond.toFixed(perSecond < 10 ? 1 : 0);

function requestsText(requests: StoreRequestCounts): string {
  return STORE_OPERATIONS.filter((operation) => requests[operation])
    .map((operation) => `${operation} ${Number((requests[operation] ?? 0).toFixed(2))}`)
    .join(', ');
}

function totals(requests: StoreRequestCounts): { all: number; writes: number } {
  let all = 0;
  let writes = 0;
  for (const operation of STORE_OPERATIONS) {
    const sent = requests[operation] ?? 0;
    all += sent;
    if (WRITE_CLASS.has(operation)) writes += sent;
  }
  return { all, writes };
}

function report(
  plan: BenchPlan,
  figures: Record<string, CallFigures>,
  sizes: Sizes,
  heap: Record<string, number>,
  hostile: HostileFigures,
): Section {
  const { signBatches, serverCalls } = plan.options;
  const sign = figures.sign as CallFigures;
  const urls = sign.calls * BATCH;
  const perSecond = urls / sign.wallSeconds;
  const perCpuSecond = urls / sign.cpuSeconds;
  const rows = ROWS.filter(([name]) => figures[name]);
  const count = (n: number) => n.toLocaleString('en');
  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  return {
    id: 'p6',
    title: `P6 server — the handler alone in Node, ${signBatches} sign batches, ${serverCalls} calls of the other operations`,
    lines: [
      ...table(
        ['figure', 'measured', 'target', ''],
        [
          ['presigned URLs per second (one thread = one core)', perSecond.toFixed(0), '≥ 2,000', pass(perSecond >= 2000)],
          ['presigned URLs per CPU-second (process CPU time)', perCpuSecond.toFixed(0), '', ''],
          [`${BATCH}-part sign batch latency p50, ms`, sign.p50.toFixed(2), '', ''],
          [`${BATCH}-part sign batch latency p99, ms`, sign.p99.toFixed(2), '≤ 20', pass(sign.p99 <= 20)],
        ],
      ),
      '',
      `Hostile bodies: a complete of 1 MiB listing 349,000 empty parts (refused by count before parsing, 422 too-many-parts), ${HOSTILE_CLIENTS} clients sending it back to back beside one making ${CLIENT_BATCH}-part signs:`,
      '',
      ...table(
        ['figure', 'measured', 'target', ''],
        [
          ['CPU of one hostile request, ms', hostile.cpuPerRequestMs.toFixed(2), 'a few', pass(hostile.cpuPerRequestMs <= 5)],
          [`${CLIENT_BATCH}-part sign p50 / p99 alone, ms`, `${hostile.quiet.p50.toFixed(1)} / ${hostile.quiet.p99.toFixed(1)}`, '', ''],
          [`… beside ${HOSTILE_CLIENTS} hostile clients (${hostile.hostileRequests} refused meanwhile), ms`, `${hostile.loaded.p50.toFixed(1)} / ${hostile.loaded.p99.toFixed(1)}`, '', ''],
          ['delay added to the unrelated request at p99, ms', (hostile.loaded.p99 - hostile.quiet.p99).toFixed(1), '< 100', pass(hostile.loaded.p99 - hostile.quiet.p99 < 100)],
        ],
      ),
      '',
      'Every operation, one call at a time (calls per second include the store\'s latency; per CPU-second is this process only, the store runs apart):',
      '',
      ...table(
        ['operation', 'calls', 'calls/s (one thread)', 'calls per CPU-second', 'p50, ms', 'p99, ms', 'CPU per call, ms'],
        rows.map(([name, label]) => {
          const result = figures[name] as CallFigures;
          return [
            label,
            String(result.calls),
            rate(result.perSecond),
            rate(result.perCpuSecond),
            result.p50.toFixed(2),
            result.p99.toFixed(2),
            ((result.cpuSeconds / result.calls) * 1000).toFixed(2),
          ];
        }),
      ),
      '',
      'Store requests per call, counted on the handler\'s S3 client (S3\'s classes: PUT/COPY/POST/DELETE, GET/HEAD):',
      '',
      ...table(
        ['operation', 'requests', 'PUT/POST/DELETE', 'GET/HEAD', 'of which'],
        rows.map(([name, label]) => {
          const requests = (figures[name] as CallFigures).storeRequests;
          const { all, writes } = totals(requests);
          const round = (n: number) => String(Number(n.toFixed(2)));
          return [label, round(all), round(writes), round(all - writes), requestsText(requests)];
        }),
      ),
      '',
      ...table(
        ['size', 'measured'],
        [
          [`upload token, bytes (key of ${sizes.keyBytes} bytes: \`uploads/<uuid user>/<uuid>/${VIDEO.fileName}\`; store's upload id: ${sizes.uploadIdBytes} bytes)`, count(sizes.tokenBytes)],
          [`the same token with a ${AWS.uploadIdLength}-character upload id (AWS's are longer than Swift's), bytes`, count(sizes.awsTokenBytes)],
          ['create answer, bytes', count(sizes.createAnswerBytes)],
          ['presigned part URL, bytes (path style, 127.0.0.1 endpoint, 4-digit part number)', count(sizes.urlBytes)],
          [`the same URL on AWS (\`${AWS.bucket}.s3.${AWS.region}.amazonaws.com\`, ${AWS.uploadIdLength}-character upload id), bytes`, count(sizes.awsUrlBytes)],
          [`… signed with temporary credentials (a ${AWS.sessionTokenLength}-character session token), bytes`, count(sizes.awsSessionUrlBytes)],
          [`sign request / answer (${BATCH} parts), bytes`, `${count(sizes.signRequestBytes)} / ${count(sizes.signAnswerBytes)}`],
          ...LIST_PARTS.map((parts) => [`list answer (${count(parts)} parts), bytes`, count(sizes.listAnswerBytes[parts] ?? 0)]),
          ...COMPLETES.map(({ parts }) => [`complete request (${count(parts)} parts), bytes`, count(sizes.completeRequestBytes[parts] ?? 0)]),
          ...Object.entries(heap).map(([name, bytes]) => [`heap per call with ${IN_FLIGHT} in flight, ${name}, KiB (upper bound: garbage included)`, kib(bytes)]),
        ],
      ),
      '',
      `p99 is the slowest call where there are fewer than 100 (complete of 1,000 parts: ${figures['complete 1000']?.calls ?? 0} calls). The handler is called directly, without an HTTP server: a Node \`http\` listener adds its own parsing per request.`,
    ],
    data: { urls, wallSeconds: sign.wallSeconds, cpuSeconds: sign.cpuSeconds, perSecond, perCpuSecond, p50: sign.p50, p99: sign.p99, operations: figures, sizes, heapPerCall: heap, hostile },
  };
}
