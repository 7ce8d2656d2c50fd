/**
 * Turn a generated {@link HostileRequest} into a real request against the fixtures of the moment, send
 * it with a deadline, and judge the answer: the error envelope (`errorAnswer.ts`), and what a success
 * may be (only the owner, with the upload's genuine token, on the route's method, in a state that allows it).
 */
import { UPLOAD_TOKEN_HEADER } from '@tessera/core';
import { type ErrorBody, errorAnswerProblems, type SentRequest } from './errorAnswer.js';
import { FIXTURE_NAMES, type Fixture, type FixtureName, POLICY_MAX, type ServerName, WHALE } from './hostileFixtures.js';
import { type HostileRequest, type PartList, type Ref, ROUTE_METHOD, type RouteName, type SignList } from './hostileRequests.js';
import { TEST_USER_HEADER } from './uploadServer.js';

const MD5_OF_NOTHING = '1B2M2Y8AsgTpgAmY7PhCfg==';
/** Longest wait for one answer: anything slower is a hang. */
const ANSWER_TIMEOUT_MS = 15_000;

export interface ResolvedRequest {
  request: HostileRequest;
  /** The user the request names, or `null` for an anonymous one. */
  user: string | null;
  url: string;
  method: string;
  headers: Headers;
  body: string | Uint8Array<ArrayBuffer> | undefined;
  sent: SentRequest;
  /** The route the final path reaches, whatever the method, or `null`. */
  reached: RouteName | null;
  /** The fixture whose token was sent (a success changes that upload), or `null` for a token of no upload. */
  tokenFixture: FixtureName | null;
}

export interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  /** The request failed without an answer (a hang past the deadline, a connection the server dropped). */
  failure: string | null;
}

const ROUTE_PATTERNS: Array<[RegExp, RouteName]> = [
  [/^\/api\/uploads\/v1\/uploads$/, 'create'],
  [/^\/api\/uploads\/v1\/uploads\/[^/]+\/sign$/, 'sign'],
  [/^\/api\/uploads\/v1\/uploads\/[^/]+\/parts$/, 'list'],
  [/^\/api\/uploads\/v1\/uploads\/[^/]+\/complete$/, 'complete'],
  [/^\/api\/uploads\/v1\/uploads\/[^/]+$/, 'abort'],
];
/** Methods fetch writes in upper case whatever case they are given in. */
const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];

function partCountOf(fixture: Fixture): number {
  return fixture.upload.partCount ?? Math.max(1, fixture.storedEtags.size);
}

function lastPartOf(fixture: Fixture): number {
  return fixture.upload.partCount ?? Math.min(10_000, Math.ceil(fixture.maxSize / fixture.upload.partSize));
}

/** The size a sign must give part `partNumber` of `fixture`. */
function sizeOfPart(fixture: Fixture, partNumber: number): number {
  const { size, partCount, partSize } = fixture.upload;
  if (size === null || partCount === null) return Math.min(partSize, fixture.maxSize - (partNumber - 1) * partSize);
  return partNumber < partCount ? partSize : size - (partCount - 1) * partSize;
}

const fakeEtag = (partNumber: number) => partNumber.toString(16).padStart(32, 'f');

function partList(fixture: Fixture, { count, etag, change }: PartList['$parts']): unknown[] {
  const all = partCountOf(fixture);
  const length = count === 'all' ? all : count === 'one-less' ? all - 1 : count === 'one-more' ? all + 1 : count;
  const etagOf = (partNumber: number): unknown => {
    const stored = fixture.storedEtags.get(partNumber) ?? fakeEtag(partNumber);
    switch (etag) {
      case 'stored':
        return stored;
      case 'fake':
        return fakeEtag(partNumber);
      case 'quoted':
        return `"${stored}"`;
      case 'upper-case':
        return stored.toUpperCase();
      case 'empty':
        return '';
      case 'long':
        return 'e'.repeat(200);
      case 'number':
        return 12_345;
    }
  };
  const parts: Array<{ partNumber: number; etag: unknown }> = Array.from({ length: Math.max(0, length) }, (_, index) => ({
    partNumber: index + 1,
    etag: etagOf(index + 1),
  }));
  const [first, second] = parts;
  if (change === 'swap-first-two' && first && second) [parts[0], parts[1]] = [second, first];
  if (change === 'repeat-first' && first) parts.splice(1, 0, { ...first });
  if (change === 'number-zero' && first) first.partNumber = 0;
  if (change === 'skip-first') parts.shift();
  if (change === 'reverse') parts.reverse();
  return parts;
}

function signList(fixture: Fixture, { count, change }: SignList['$signParts']): unknown[] {
  const checksum = fixture.upload.checksumAlgorithm === 'none' ? '' : MD5_OF_NOTHING;
  return Array.from({ length: count }, (_, index) => {
    const partNumber = change === 'all-part-one' || (change === 'repeat-first' && index === 1) ? 1 : index + 1;
    return { partNumber, size: sizeOfPart(fixture, partNumber), checksum };
  });
}

const isMarker = (value: unknown, key: string): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, key);

/** Replace the `$ref`, `$parts` and `$signParts` markers in `value`; `$raw` stays for {@link serialize}. */
function resolveMarkers(value: unknown, fixture: Fixture, policyMax: number, siblingPartNumber?: unknown): unknown {
  if (isMarker(value, '$ref')) {
    const { $ref, plus } = value as Ref;
    const sibling = Number(siblingPartNumber);
    const partNumber = Number.isInteger(sibling) && sibling >= 1 ? sibling : 1;
    const base: Record<Ref['$ref'], number | string | null> = {
      partSize: fixture.upload.partSize,
      partCount: partCountOf(fixture),
      lastPart: lastPartOf(fixture),
      size: fixture.upload.size ?? 1000,
      maxSize: fixture.maxSize,
      minSize: 1,
      sizeOfPart: sizeOfPart(fixture, partNumber),
      sha256: fixture.sha256 ?? `${'B'.repeat(43)}=`,
      checksum: fixture.upload.checksumAlgorithm === 'none' ? '' : MD5_OF_NOTHING,
      policyMax,
    };
    const resolved = base[$ref];
    return typeof resolved === 'number' ? resolved + plus : resolved;
  }
  if (isMarker(value, '$parts')) return partList(fixture, (value as PartList).$parts);
  if (isMarker(value, '$signParts')) return signList(fixture, (value as SignList).$signParts);
  if (isMarker(value, '$raw')) return value;
  if (Array.isArray(value)) return value.map((item) => resolveMarkers(item, fixture, policyMax));
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    // Part numbers first: a part's `sizeOfPart` is the size of that part.
    const partNumber = resolveMarkers(record.partNumber, fixture, policyMax);
    return Object.fromEntries(
      Object.entries(record).map(([key, item]) => [
        key,
        key === 'partNumber' ? partNumber : resolveMarkers(item, fixture, policyMax, partNumber),
      ]),
    );
  }
  return value;
}

/** JSON text of `value`, with each `{ $raw }` written as its text. */
function serialize(value: unknown): string {
  const raws: string[] = [];
  const nonce = Math.random().toString(36).slice(2);
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (!isMarker(item, '$raw')) return item;
    raws.push((item as { $raw: string }).$raw);
    return `@@raw-${nonce}-${raws.length - 1}@@`;
  });
  return (text ?? '').replace(new RegExp(`"@@raw-${nonce}-(\\d+)@@"`, 'g'), (_match, index: string) => raws[Number(index)] ?? '');
}

function pathOf(request: HostileRequest, idSegment: string): string {
  const operation = { create: '', sign: '/sign', list: '/parts', complete: '/complete', abort: '' }[request.route];
  const path = request.route === 'create' ? '/v1/uploads' : `/v1/uploads/${idSegment}${operation}`;
  const change = request.path;
  if (typeof change === 'object') return change.replace;
  switch (change) {
    case 'none':
      return path;
    case 'trailing-slash':
      return `${path}/`;
    case 'double-slash':
      return path.replace('/uploads', '//uploads');
    case 'upper-version':
      return path.replace('/v1/', '/V1/');
    case 'v2':
      return path.replace('/v1/', '/v2/');
    case 'extra-segment':
      return `${path}/x`;
    case 'dot-segment':
      return path.replace('/v1/', '/v1/./');
    case 'encoded-slash':
      return path.replace('/v1/uploads', '/v1%2Fuploads');
    case 'query':
      return `${path}?uploadId=x&token=y`;
    case 'upper-case-operation':
      return path.replace(/\/([a-z]+)$/, (_match, name: string) => `/${name.toUpperCase()}`);
    case 'matrix':
      return `${path};x=1`;
    case 'backslash':
      return path.replace(/\//g, '\\');
    case 'no-version':
      return path.replace('/v1', '');
  }
}

function tokenOf(
  request: HostileRequest,
  fixtures: Record<FixtureName, Fixture>,
): { value: string | null; fixture: FixtureName | null } {
  const own = fixtures[request.target];
  const choice = request.token;
  switch (choice.kind) {
    case 'none':
      return { value: null, fixture: null };
    case 'own':
      return { value: own.upload.token, fixture: own.name };
    case 'of':
      return { value: fixtures[choice.upload].upload.token, fixture: choice.upload };
    case 'derived':
      return { value: own.tokens[choice.variant], fixture: null };
    case 'swapped': {
      const other = fixtures[FIXTURE_NAMES[(FIXTURE_NAMES.indexOf(own.name) + 1) % FIXTURE_NAMES.length] as FixtureName];
      return { value: `${own.upload.token.split('.')[0]}.${other.upload.token.split('.')[1]}`, fixture: null };
    }
    case 'literal':
      return { value: choice.value, fixture: null };
  }
}

/** What the server makes of the bytes: whether they are a JSON object, and how many parts it lists. */
function bodyShape(bytes: Uint8Array | undefined): { bodyIsObject: boolean; partsLength: number | null } {
  if (bytes === undefined) return { bodyIsObject: false, partsLength: null };
  try {
    const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
    const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    const parts = isObject ? (parsed as { parts?: unknown }).parts : undefined;
    return { bodyIsObject: isObject, partsLength: Array.isArray(parts) ? parts.length : null };
  } catch {
    return { bodyIsObject: false, partsLength: null };
  }
}

/** The real request for `request` against `fixtures`, to the handlers at `servers` (base URLs). */
export function resolveRequest(
  request: HostileRequest,
  fixtures: Record<FixtureName, Fixture>,
  servers: Record<ServerName, string>,
): ResolvedRequest {
  const fixture = fixtures[request.target];
  const idSegment =
    request.id.kind === 'own'
      ? encodeURIComponent(fixture.upload.uploadId)
      : request.id.kind === 'of'
        ? encodeURIComponent(fixtures[request.id.upload].upload.uploadId)
        : request.id.value;
  const url = `${servers[request.server]}${pathOf(request, idSegment)}`;
  const pathname = new URL(url).pathname;
  const reached = ROUTE_PATTERNS.find(([pattern]) => pattern.test(pathname))?.[1] ?? null;
  const method = NORMALIZED_METHODS.includes(request.method.toUpperCase()) ? request.method.toUpperCase() : request.method;

  const user = typeof request.user === 'object' && request.user !== null ? fixture.userId : request.user;
  const headers = new Headers();
  if (user !== null) headers.set(TEST_USER_HEADER, user);
  const token = tokenOf(request, fixtures);
  if (token.value !== null) headers.set(UPLOAD_TOKEN_HEADER, token.value);
  for (const [name, value] of request.headers) headers.append(name, value);

  let body: string | Uint8Array<ArrayBuffer> | undefined;
  const canHaveBody = method !== 'GET' && method !== 'HEAD';
  if (canHaveBody && request.body.kind !== 'none') {
    if (request.contentType !== null) headers.set('content-type', request.contentType);
    const policyMax = user === WHALE && request.server === 'default' ? POLICY_MAX.whale : POLICY_MAX[request.server];
    if (request.body.kind === 'json') body = serialize(resolveMarkers(request.body.value, fixture, policyMax));
    else if (request.body.kind === 'text') body = request.body.text;
    else body = Uint8Array.from(request.body.bytes);
  }
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return {
    request,
    user,
    url,
    method,
    headers,
    body,
    sent: { method, ...bodyShape(bytes), intactFields: request.route === 'create' ? request.intactFields : [] },
    reached,
    tokenFixture: token.fixture,
  };
}

/** Send `resolved`; a request that gets no answer within the deadline comes back as a failure. */
export async function send(resolved: ResolvedRequest): Promise<Answer> {
  try {
    const response = await fetch(resolved.url, {
      method: resolved.method,
      headers: resolved.headers,
      body: resolved.body,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), text, failure: null };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return { status: 0, contentType: null, text: '', failure: `${String(error)}${cause ? ` (${String(cause)})` : ''}` };
  }
}

export interface Judgement {
  problems: string[];
  error: ErrorBody | null;
}

/** What is wrong with `answer` to `resolved`, given the state of the fixture its token is for. */
export function judge(resolved: ResolvedRequest, answer: Answer, fixtures: Record<FixtureName, Fixture>): Judgement {
  if (answer.failure !== null) return { problems: [`no answer: ${answer.failure}`], error: null };
  const { reached, tokenFixture } = resolved;
  if (answer.status >= 400 || answer.status < 200) {
    const judged = errorAnswerProblems(answer.status, answer.contentType, answer.text, resolved.sent);
    if (answer.status < 400 || (answer.status >= 500 && answer.status !== 502)) judged.problems.push(`status ${answer.status}`);
    judged.problems.push(...stateProblems(resolved, answer, judged.error, fixtures));
    return judged;
  }
  const problems: string[] = [];
  const expectedStatus = reached === 'create' ? 201 : 200;
  if (reached === null || resolved.method !== ROUTE_METHOD[reached] || answer.status !== expectedStatus) {
    problems.push(`success ${answer.status} off the protocol (${resolved.method} to ${reached ?? 'no route'})`);
  }
  let body: unknown = null;
  try {
    body = JSON.parse(answer.text);
  } catch {
    problems.push(`a success that is not JSON: ${answer.text.slice(0, 200)}`);
  }
  if (reached !== null && reached !== 'create') {
    // Only the owner, with the upload's own token, gets anything done with an upload.
    const owner = tokenFixture === null ? null : fixtures[tokenFixture];
    if (owner === null || resolved.user !== owner.userId) {
      const token = JSON.stringify(resolved.request.token);
      problems.push(`success without the owner's genuine token (user ${resolved.user}, token ${token})`);
    } else if (owner.state === 'aborted' && reached !== 'sign') {
      problems.push(`${reached} of an aborted upload succeeded`);
    } else if (owner.state === 'completed' && (reached === 'sign' || reached === 'list' || reached === 'abort')) {
      problems.push(`${reached} of a completed upload succeeded`);
    }
  }
  if (reached === 'create' && answer.status === 201) {
    const key = (body as { key?: unknown } | null)?.key;
    if (typeof key !== 'string' || !key.startsWith('uploads/')) problems.push(`create answered the key ${JSON.stringify(key)}`);
  }
  return { problems, error: null };
}

/**
 * For a list or abort that names its upload right (its own token, its owner, the route's method, the path
 * as the protocol writes it), the answer the upload's state calls for.
 */
function stateProblems(
  resolved: ResolvedRequest,
  answer: Answer,
  error: ErrorBody | null,
  fixtures: Record<FixtureName, Fixture>,
): string[] {
  const { request, reached, tokenFixture } = resolved;
  if (reached === null || (reached !== 'list' && reached !== 'abort') || reached !== request.route) return [];
  if (resolved.method !== ROUTE_METHOD[reached] || request.path !== 'none' || tokenFixture === null) return [];
  const owner = fixtures[tokenFixture];
  const idIsOwners =
    request.id.kind === 'own' ? request.target === tokenFixture : request.id.kind === 'of' && request.id.upload === tokenFixture;
  if (!idIsOwners || resolved.user !== owner.userId || answer.status === 502) return [];
  // As the README has it: a completed upload is `upload-completed` (409), an aborted one is gone (404).
  const expected = owner.state === 'open' ? 'a success' : owner.state === 'aborted' ? 'upload-not-found' : 'upload-completed';
  if (error?.code === expected) return [];
  return [`${reached} of the ${owner.state} upload ${owner.name} answered ${answer.status} ${error?.code}, not ${expected}`];
}
