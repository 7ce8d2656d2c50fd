/**
 * P6: the route handler alone, in this Node process (one thread, so one core): one upload created against
 * the store, then 100-part sign batches (the protocol's maximum) called back to back as `Request → Response`.
 * Sign is pure computation: token check, validation, 100 presigned URLs binding size and Content-MD5.
 */
import { performance } from 'node:perf_hooks';
import type { CreateUploadResponse, SignPartsResponse } from '@tessera/core';
import { UPLOAD_TOKEN_HEADER } from '@tessera/core';
import { createUploadHandler } from '@tessera/server-adapter';
import { handlerOptions } from '../../../tests/support/uploadServer.js';
import type { BenchPlan, Section } from '../benchPlan.js';
import { pass, table } from '../format.js';
import { percentile } from '../stats.js';

const BATCH = 100;
const WARM_UP = 50;
const ORIGIN = 'http://bench.invalid/api/uploads';

export async function serverScenario(plan: BenchPlan): Promise<Section> {
  const { store, log } = plan.context;
  const { partSize, signBatches } = plan.options;
  const size = 10_000 * partSize; // 10,000 parts: batches walk through fresh part numbers
  const handler = createUploadHandler(
    handlerOptions(store, {
      authorize: () => ({ userId: 'bench', policy: { preferredPartSize: partSize, maxFileSize: size } }),
    }),
  );
  const createResponse = await handler(
    new Request(`${ORIGIN}/v1/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: 'sign-bench.bin', contentType: 'application/octet-stream', size }),
    }),
  );
  if (createResponse.status !== 201) throw new Error(`create: ${createResponse.status} ${await createResponse.text()}`);
  const upload = (await createResponse.json()) as CreateUploadResponse;
  const checksum = Buffer.alloc(16, 7).toString('base64');
  const partCount = upload.partCount ?? 1;

  async function signBatch(index: number): Promise<number> {
    const first = ((index * BATCH) % (partCount - BATCH)) + 1;
    const parts = Array.from({ length: BATCH }, (_, offset) => ({ partNumber: first + offset, size: upload.partSize, checksum }));
    const started = performance.now();
    const response = await handler(
      new Request(`${ORIGIN}/v1/uploads/${encodeURIComponent(upload.uploadId)}/sign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [UPLOAD_TOKEN_HEADER]: upload.token },
        body: JSON.stringify({ parts }),
      }),
    );
    const body = (await response.json()) as SignPartsResponse;
    const elapsed = performance.now() - started;
    if (response.status !== 200 || body.parts.length !== BATCH) throw new Error(`sign: ${response.status}`);
    return elapsed;
  }

  for (let index = 0; index < WARM_UP; index++) await signBatch(index);
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < signBatches; index++) latencies.push(await signBatch(WARM_UP + index));
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  await handler(
    new Request(`${ORIGIN}/v1/uploads/${encodeURIComponent(upload.uploadId)}`, {
      method: 'DELETE',
      headers: { [UPLOAD_TOKEN_HEADER]: upload.token },
    }),
  );
  const urls = signBatches * BATCH;
  const perSecond = urls / wallSeconds;
  const perCpuSecond = urls / cpuSeconds;
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  log(`  ${urls} URLs in ${wallSeconds.toFixed(2)} s: ${perSecond.toFixed(0)}/s, p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
  return {
    id: 'p6',
    title: `P6 server — the handler alone in Node, ${signBatches} batches of ${BATCH} parts`,
    lines: table(
      ['figure', 'measured', 'target', ''],
      [
        ['presigned URLs per second (one thread = one core)', perSecond.toFixed(0), '≥ 2,000', pass(perSecond >= 2000)],
        ['presigned URLs per CPU-second (process CPU time)', perCpuSecond.toFixed(0), '', ''],
        [`${BATCH}-part sign batch latency p50, ms`, p50.toFixed(2), '', ''],
        [`${BATCH}-part sign batch latency p99, ms`, p99.toFixed(2), '≤ 20', pass(p99 <= 20)],
      ],
    ),
    data: { urls, wallSeconds, cpuSeconds, perSecond, perCpuSecond, p50, p99 },
  };
}
