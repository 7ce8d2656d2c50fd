/**
 * The uploads generated hostile requests aim at, each in a known state, with the tokens an attacker could
 * hold for it: its own, expired, signed with another secret, tampered with, cut short. Made through the
 * real handler (create, sign, PUT, complete, abort), so their state in the store is the real one.
 */
import { createHmac } from 'node:crypto';
import type { CreateUploadResponse } from '@tessera/core';
import { UploadTokens } from '@tessera/server-adapter';
import { call, completeUpload, createUpload, putParts, testBytes } from './protocolClient.js';
import { TEST_SECRET } from './uploadServer.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;

/** The handlers the suite runs, told apart by policy and checksum. */
export type ServerName = 'default' | 'strict' | 'bare';

/** Policy limits per server, and for the user `whale` (a per-user policy on the default server). */
export const POLICY_MAX = { default: 50 * GiB, strict: 100 * MiB, bare: 50 * GiB, whale: 5 * TiB } as const;
export const WHALE = 'whale';

export const FIXTURE_NAMES = [
  'open',
  'ready',
  'multi',
  'growing',
  'whale',
  'whaleGrowing',
  'withSha',
  'bobs',
  'bare',
  'strictMax',
  'completed',
  'aborted',
] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

export const DERIVED_TOKENS = [
  'expired',
  'foreignSecret',
  'tamperedPayload',
  'tamperedSignature',
  'truncated',
  'extraSegment',
  'unsigned',
  'oldVersion',
] as const;
export type DerivedToken = (typeof DERIVED_TOKENS)[number];

export interface Fixture {
  name: FixtureName;
  upload: CreateUploadResponse;
  userId: string;
  /** Largest size the policy it was created under allows. */
  maxSize: number;
  /** ETags of the parts the store holds, by part number. */
  storedEtags: Map<number, string>;
  /** The whole-file SHA-256 declared at create, or `null`. */
  sha256: string | null;
  /** Its state when made; requests may change it (a complete, an abort). */
  state: 'open' | 'completed' | 'aborted';
  tokens: Record<DerivedToken, string>;
}

interface FixtureSpec {
  server: ServerName;
  user: string;
  size: number | undefined;
  maxSize: number;
  sha256?: string;
  /** Store part 1 (a one-part upload of 1,000 bytes). */
  storePart?: boolean;
  then?: 'complete' | 'abort';
}

const SHA256 = `${'Q'.repeat(42)}A=`;
const SPECS: Record<FixtureName, FixtureSpec> = {
  open: { server: 'default', user: 'alice', size: 1000, maxSize: POLICY_MAX.default },
  ready: { server: 'default', user: 'alice', size: 1000, maxSize: POLICY_MAX.default, storePart: true },
  multi: { server: 'default', user: 'alice', size: 20 * MiB, maxSize: POLICY_MAX.default },
  growing: { server: 'default', user: 'alice', size: undefined, maxSize: POLICY_MAX.default },
  // 10,000 parts of 8 MiB: the most S3 allows.
  whale: { server: 'default', user: WHALE, size: 10_000 * 8 * MiB, maxSize: POLICY_MAX.whale },
  whaleGrowing: { server: 'default', user: WHALE, size: undefined, maxSize: POLICY_MAX.whale },
  withSha: { server: 'default', user: 'alice', size: 1000, maxSize: POLICY_MAX.default, sha256: SHA256 },
  bobs: { server: 'default', user: 'bob', size: 1000, maxSize: POLICY_MAX.default, storePart: true },
  bare: { server: 'bare', user: 'alice', size: 1000, maxSize: POLICY_MAX.bare },
  strictMax: { server: 'strict', user: 'alice', size: POLICY_MAX.strict, maxSize: POLICY_MAX.strict },
  completed: { server: 'default', user: 'alice', size: 1000, maxSize: POLICY_MAX.default, storePart: true, then: 'complete' },
  aborted: { server: 'default', user: 'alice', size: 1000, maxSize: POLICY_MAX.default, then: 'abort' },
};

const base64url = (text: string) => Buffer.from(text).toString('base64url');

async function derivedTokens(token: string): Promise<Record<DerivedToken, string>> {
  const [payload = '', signature = ''] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const { v: _version, ...rest } = claims;
  const unsignedClaims = rest as unknown as Parameters<UploadTokens['sign']>[0];
  const oldPayload = base64url(JSON.stringify({ ...rest, v: 1 }));
  const tamperedClaims = base64url(JSON.stringify({ ...claims, maxSize: Number(claims.maxSize) * 2, userId: 'alice' }));
  return {
    expired: await new UploadTokens(TEST_SECRET).sign({ ...unsignedClaims, expiresAt: Math.floor(Date.now() / 1000) - 60 }),
    foreignSecret: await new UploadTokens('another-secret-that-is-long-enough-00000').sign(unsignedClaims),
    tamperedPayload: `${tamperedClaims}.${signature}`,
    // A character inside: the last one also carries padding bits, and some changes to it decode the same.
    tamperedSignature: `${payload}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`,
    truncated: token.slice(0, -3),
    extraSegment: `${token}.AAAA`,
    unsigned: `${payload}.`,
    // A token of the previous format, signed with the right secret.
    oldVersion: `${oldPayload}.${createHmac('sha256', TEST_SECRET).update(oldPayload).digest('base64url')}`,
  };
}

async function makeFixture(name: FixtureName, servers: Record<ServerName, string>): Promise<Fixture> {
  const spec = SPECS[name];
  const base = servers[spec.server];
  const options = { user: spec.user };
  const created = await createUpload(
    base,
    {
      fileName: `${name}.mp4`,
      contentType: 'video/mp4',
      ...(spec.size !== undefined && { size: spec.size }),
      ...(spec.sha256 !== undefined && { sha256: spec.sha256 }),
    },
    options,
  );
  if (created.status !== 201) {
    throw new Error(`fixture ${name}: create answered ${created.status} ${JSON.stringify(created.body)}`);
  }
  const upload = created.body;
  const storedEtags = new Map<number, string>();
  let state: Fixture['state'] = 'open';
  if (spec.storePart) {
    const [part] = await putParts(base, upload, testBytes(1000, 40), [1], options);
    storedEtags.set(1, part?.etag.replace(/"/g, '') ?? '');
  }
  if (spec.then === 'complete') {
    const done = await completeUpload(base, upload, { parts: [{ partNumber: 1, etag: storedEtags.get(1) ?? '' }] }, options);
    if (done.status !== 200) throw new Error(`fixture ${name}: complete answered ${done.status}`);
    state = 'completed';
  } else if (spec.then === 'abort') {
    const path = `/v1/uploads/${encodeURIComponent(upload.uploadId)}`;
    const aborted = await call(base, 'DELETE', path, undefined, { ...options, token: upload.token });
    if (aborted.status !== 200) throw new Error(`fixture ${name}: abort answered ${aborted.status}`);
    state = 'aborted';
  }
  return {
    name,
    upload,
    userId: spec.user,
    maxSize: spec.maxSize,
    storedEtags,
    sha256: spec.sha256 ?? null,
    state,
    tokens: await derivedTokens(upload.token),
  };
}

/** Make the fixtures `names` (all by default) through the handlers at `servers` (base URLs), three at a time. */
export async function makeFixtures(
  servers: Record<ServerName, string>,
  names: readonly FixtureName[] = FIXTURE_NAMES,
): Promise<Partial<Record<FixtureName, Fixture>>> {
  const made: Partial<Record<FixtureName, Fixture>> = {};
  for (let start = 0; start < names.length; start += 3) {
    const batch = names.slice(start, start + 3);
    for (const fixture of await Promise.all(batch.map((name) => makeFixture(name, servers)))) made[fixture.name] = fixture;
  }
  return made;
}
