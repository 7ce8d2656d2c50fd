/**
 * Raw, malformed HTTP over `node:net` sockets into `createNodeListener(createUploadHandler(...))` on a real
 * Node server in a child process: forbidden and unknown methods, bad Host headers and targets, broken
 * request lines, oversized headers, bad chunked framing, Content-Length lies, bodies cut short or trickled,
 * non-UTF-8 bytes, huge and deeply nested JSON, pipelined requests.
 *
 * Every request must be answered with a 4xx or have its connection closed by the server, never a 5xx and
 * never a hang (every wait has a deadline); no request may make the handler call `onError` (a client that
 * leaves is not an error of the service); and the process must outlive the corpus and then serve a whole
 * upload (create → sign → PUT → complete).
 */
import type { CreateUploadResponse, TesseraErrorCode } from '@tessera/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ChildUploadServer, startChildUploadServer } from '../support/childUploadServer.js';
import { call, completeUpload, createUpload, md5Base64, putParts, testBytes } from '../support/protocolClient.js';
import { type RawOutcome, rawExchange, type RawStep } from '../support/rawHttp.js';

const store = inject('store');
const MiB = 1024 * 1024;
const BASE = '/api/uploads/v1/uploads';
/** The handler's body deadline: short, so that trickled bodies are cut within the test. */
const BODY_TIMEOUT_MS = 600;
/** Node's header deadline, likewise. */
const HEADERS_TIMEOUT_MS = 1_500;
/** Longest wait for one exchange: well above either deadline. */
const EXCHANGE_TIMEOUT_MS = 5_000;

interface Context {
  /** `Host` header value of the server. */
  host: string;
  /** The case's name, sent in `x-test-case` so that the server's reports name it. */
  name: string;
  /** An open upload of alice's (3 parts) and its token, for bodies that must get past the token check. */
  uploadId: string;
  token: string;
}

type Steps = (c: Context) => RawStep[];

interface MalformedCase {
  name: string;
  steps: Steps;
  /** The 4xx statuses the server may answer with. */
  statuses: readonly number[];
  /** The server may close the connection without answering. */
  mayClose?: boolean;
  /** The client leaves on its own (a `destroy` or `reset` step): there is no answer to see. */
  clientLeaves?: boolean;
  /** The handler's JSON error code, where the handler (not Node's parser) answers. */
  code?: TesseraErrorCode;
  /** Answers to wait for; without `mayClose`, exactly this many must come. @default 1 */
  responses?: number;
  /** The request reaches the handler, which produces this status (499: the client went away), or any. */
  handled?: number | 'any';
  /** HEAD requests: their answers have no body. */
  head?: boolean;
  /** The answer must come within this many milliseconds (timeout cases: the deadline plus slack). */
  withinMs?: number;
}

// ── requests

/** Alice's usual request headers: Host, user and case name. */
const std = (c: Context) => `Host: ${c.host}\r\nX-Test-User: alice\r\nX-Test-Case: ${c.name}\r\n`;
const withToken = (c: Context) => `X-Tessera-Upload-Token: ${c.token}\r\n`;
const signPath = (c: Context) => `${BASE}/${encodeURIComponent(c.uploadId)}/sign`;
const completePath = (c: Context) => `${BASE}/${encodeURIComponent(c.uploadId)}/complete`;
const listPath = (c: Context) => `${BASE}/${encodeURIComponent(c.uploadId)}/parts`;
type Target = string | ((c: Context) => string);
const targetOf = (target: Target, c: Context) => (typeof target === 'string' ? target : target(c));

/** The head of a request with alice's headers and the header lines `extra` (each ending in CRLF). */
const headOf = (c: Context, method: string, target: Target, extra = '', version = 'HTTP/1.1') =>
  `${method} ${targetOf(target, c)} ${version}\r\n${std(c)}${extra}\r\n`;
/** A request without a body. */
const bare =
  (method: string, target: Target, extra = '', version = 'HTTP/1.1'): Steps =>
  (c) => [headOf(c, method, target, extra, version)];
/** Any request line, then the headers given (the case's name added), nothing else. */
const exactly =
  (requestLine: string, headers: string): Steps =>
  (c) => [`${requestLine}\r\n${headers}X-Test-Case: ${c.name}\r\n\r\n`];
/** A GET of the create path with this Host header only. */
const withHost = (host: string) => exactly(`GET ${BASE} HTTP/1.1`, `Host: ${host}\r\n`);
/** A POST head (JSON content type, the framing headers `extra`), then the steps `then`. */
const post =
  (target: Target, extra: string | ((c: Context) => string), ...then: RawStep[]): Steps =>
  (c) => {
    const framing = typeof extra === 'string' ? extra : extra(c);
    return [headOf(c, 'POST', target, `Content-Type: application/json\r\n${framing}`), ...then];
  };
/** A POST of `body` with its Content-Length; `token` sends the open upload's token. */
const postJson =
  (target: Target, body: string | Uint8Array, { token = false, extra = '' } = {}): Steps =>
  (c) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return post(target, `${token ? withToken(c) : ''}${extra}Content-Length: ${bytes.length}\r\n`, bytes)(c);
  };
/** The same request, its text changed by `edit`. */
const edited =
  (steps: Steps, edit: (text: string) => string): Steps =>
  (c) => steps(c).map((step) => (typeof step === 'string' ? edit(step) : step));
const then =
  (steps: Steps, ...more: RawStep[]): Steps =>
  (c) => [...steps(c), ...more];
/** `count` single bytes, `everyMs` apart. */
const trickle = (count: number, everyMs: number, byte = ' '): RawStep[] =>
  Array.from({ length: count }, () => [byte, { pauseMs: everyMs }] as RawStep[]).flat();
const deepArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`;
const repeated = (count: number, line: (index: number) => string) => Array.from({ length: count }, (_, i) => line(i)).join('');
const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));
const CHUNKED = 'Transfer-Encoding: chunked\r\n';

// ── expectations

/** The handler refuses it: `status` with the JSON error `code`. */
const refused = (
  name: string,
  status: number,
  code: TesseraErrorCode,
  steps: Steps,
  more: Partial<MalformedCase> = {},
): MalformedCase => ({ name, steps, statuses: [status], code, ...more });
/** Node (or the handler) answers one of `statuses`, or the server closes the connection. */
const closes = (name: string, statuses: number[], steps: Steps, more: Partial<MalformedCase> = {}): MalformedCase => ({
  name,
  steps,
  statuses,
  mayClose: true,
  ...more,
});
/** The client leaves without an answer; `handled`: what the handler made of it (499: it saw the client go). */
const leaves = (name: string, steps: Steps, handled?: number | 'any'): MalformedCase => ({
  name,
  steps,
  statuses: [],
  clientLeaves: true,
  ...(handled !== undefined && { handled }),
});
/** The body does not arrive in time: the handler answers 408 within its deadline. */
const tooSlow = (name: string, steps: Steps): MalformedCase =>
  refused(name, 408, 'request-timeout', steps, { handled: 408, withinMs: BODY_TIMEOUT_MS + 2_000 });
const NOT_ALLOWED = 'method-not-allowed';
const BAD_REQUEST = 'invalid-request';

const PARTS = `${BASE}/x/parts`;
const length = (count: number) => `Content-Length: ${count}\r\n`;
/** The open upload's token, then the header lines `extra`. */
const tokenAnd = (extra: string) => (c: Context) => `${withToken(c)}${extra}`;
const CREATE_BODY = '{"fileName":"a.mp4","contentType":"video/mp4","size":1}';
const END_CHUNKS = '0\r\n\r\n';
const WEBSOCKET =
  'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
const H2C = 'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n';
const KiB16 = 'x'.repeat(16_384);
/** `count` list requests in one write. */
const pipelined = (count: number) => (c: Context) => [repeated(count, () => headOf(c, 'GET', PARTS))];
const THREE_PARTS = '{"parts":[{"partNumber":1,"etag":"a"},{"partNumber":2,"etag":"b"},{"partNumber":3,"etag":"c"}]}';

const cases: MalformedCase[] = [
  // ── methods fetch's Request cannot carry, and methods nobody serves
  refused('TRACE on create', 405, NOT_ALLOWED, bare('TRACE', BASE)),
  refused('TRACE asterisk', 405, NOT_ALLOWED, bare('TRACE', '*')),
  refused('TRACE with a body', 405, NOT_ALLOWED, then(bare('TRACE', BASE, length(2)), '{}')),
  closes('CONNECT authority', [400], bare('CONNECT', '127.0.0.1:80')),
  closes('CONNECT path', [400], bare('CONNECT', BASE)),
  closes('TRACK', [400, 405], bare('TRACK', BASE)),
  closes('unknown method FOO', [400, 405], bare('FOO', BASE)),
  closes('method of 8 KiB', [400, 405], bare('A'.repeat(8192), BASE)),
  closes('lower-case get', [400], bare('get', BASE)),
  refused('PROPFIND', 405, NOT_ALLOWED, bare('PROPFIND', BASE)),
  refused('M-SEARCH', 405, NOT_ALLOWED, bare('M-SEARCH', BASE)),
  refused('QUERY', 405, NOT_ALLOWED, bare('QUERY', BASE)),
  refused('PATCH on sign', 405, NOT_ALLOWED, bare('PATCH', signPath)),
  refused('PUT on create', 405, NOT_ALLOWED, edited(postJson(BASE, '{}'), (text) => text.replace('POST', 'PUT'))),
  refused('OPTIONS without CORS', 405, NOT_ALLOWED, bare('OPTIONS', BASE)),
  { name: 'HEAD on create', steps: bare('HEAD', BASE), statuses: [405], head: true },

  // ── Host headers
  refused('Host with a space', 400, BAD_REQUEST, withHost('exa mple')),
  refused('Host port 99999', 400, BAD_REQUEST, withHost('x:99999')),
  refused('Host port 0', 400, BAD_REQUEST, withHost('localhost:0')),
  refused('Host port 65536', 400, BAD_REQUEST, withHost('a.example:65536')),
  refused('Host with an empty port', 400, BAD_REQUEST, withHost('127.0.0.1:')),
  refused('Host with two ports', 400, BAD_REQUEST, withHost('a.example:1:2')),
  refused('Host %', 400, BAD_REQUEST, withHost('%')),
  refused('Host with userinfo', 400, BAD_REQUEST, withHost('user@a.example')),
  refused('Host empty', 400, BAD_REQUEST, withHost('')),
  refused('Host of empty labels', 400, BAD_REQUEST, withHost('a..b')),
  refused('Host with a leading hyphen', 400, BAD_REQUEST, withHost('-a.example')),
  refused('Host with a tab', 400, BAD_REQUEST, withHost('a\tb')),
  closes('Host with a control byte', [400], withHost('a\x01b')),
  refused('Host in latin1', 400, BAD_REQUEST, withHost('\xe9xample')),
  refused('Host of 15,000 characters', 400, BAD_REQUEST, withHost(`${'a'.repeat(15_000)}!`)),
  refused('Host of 3,500 labels', 400, BAD_REQUEST, withHost('a-.'.repeat(3_500))),
  refused('Host IPv6 unclosed', 400, BAD_REQUEST, withHost('[::1')),
  refused('Host IPv6 closed twice', 400, BAD_REQUEST, withHost('[::1]]')),
  refused('Host IPv6 all colons', 400, BAD_REQUEST, withHost('[:::::]')),
  refused('Host IPv6 nine groups', 400, BAD_REQUEST, withHost('[1:2:3:4:5:6:7:8:9]')),
  refused('Host IPv6 with a zone', 400, BAD_REQUEST, withHost('[fe80::1%eth0]')),
  refused('Host IPv6 without brackets', 400, BAD_REQUEST, withHost('::1')),
  refused('Host IPv6 port 0', 400, BAD_REQUEST, withHost('[::1]:0')),
  closes('Host missing (HTTP/1.1)', [400], exactly(`GET ${BASE} HTTP/1.1`, '')),
  { name: 'Host twice', steps: bare('GET', PARTS, 'Host: evil.example\r\n'), statuses: [400, 401] },

  // ── absolute-form and asterisk-form targets
  refused('absolute target, port 99999', 400, BAD_REQUEST, bare('GET', `http://x:99999${BASE}`)),
  refused('absolute target, host %', 400, BAD_REQUEST, bare('GET', `http://%${BASE}`)),
  refused('absolute target, IPv6 unclosed', 400, BAD_REQUEST, bare('GET', `http://[::1${BASE}`)),
  refused('absolute target, no host', 400, BAD_REQUEST, bare('GET', 'http://')),
  closes('absolute target with a space in the host', [400], bare('GET', `http://exa mple${BASE}`)),
  closes('absolute target, scheme only', [400], bare('GET', 'http:')),
  closes('absolute target mailto', [400], bare('GET', 'mailto:a@b.example')),
  closes('absolute target javascript', [400], bare('GET', 'javascript:alert(1)')),
  refused('absolute target file', 404, 'not-found', bare('GET', 'file:///etc/passwd')),
  refused('absolute target with userinfo', 401, 'token-missing', bare('GET', `http://u:p@127.0.0.1${PARTS}`)),
  refused('absolute target of another host', 400, 'invalid-field', postJson(`https://evil.example${BASE}`, '{}')),
  refused('network-path target', 404, 'not-found', bare('GET', `//evil.example${BASE}`)),
  refused('OPTIONS asterisk', 400, BAD_REQUEST, bare('OPTIONS', '*')),
  refused('GET asterisk', 400, BAD_REQUEST, bare('GET', '*')),
  closes('query-only target', [400], bare('GET', '?x')),

  // ── request lines and header syntax
  closes('no HTTP version', [400, 405], (c) => [`GET ${BASE}\r\n${std(c)}\r\n`]),
  closes('HTTP/2.0 request line', [400, 405], bare('GET', BASE, '', 'HTTP/2.0')),
  closes('HTTP/1.2', [400], bare('GET', BASE, '', 'HTTP/1.2')),
  closes('HTTP/9.9', [400], bare('GET', BASE, '', 'HTTP/9.9')),
  closes('double spaces', [400, 405], (c) => [`GET  ${BASE}  HTTP/1.1\r\n${std(c)}\r\n`]),
  closes('bare LF line ends', [400], edited(bare('GET', BASE), (text) => text.replace(/\r\n/g, '\n'))),
  closes('NUL in the target', [400], bare('GET', `${BASE}\x00`)),
  closes('raw 0xFF in the target', [400], bare('GET', `${BASE}/\xff/parts`)),
  closes('TLS ClientHello', [400], () => [Buffer.from('16030100a5010000a10303', 'hex')]),
  closes('HTTP/2 preface', [400], () => ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n']),
  closes('header without a colon', [400], bare('GET', BASE, 'Bad Header\r\n')),
  closes('space before a colon', [400], bare('GET', BASE, 'X-A : b\r\n')),
  closes('obsolete line folding', [400], bare('GET', BASE, 'X-A: a\r\n b\r\n')),
  closes('NUL in a header value', [400], bare('GET', BASE, 'X-A: a\x00b\r\n')),
  refused('leading empty lines', 401, 'token-missing', (c) => [`\r\n\r\n${headOf(c, 'GET', PARTS)}`]),
  closes(
    'headers trickled past the header deadline',
    [408],
    (c) => [`GET ${BASE} HTTP/1.1\r\n${std(c)}`, ...trickle(40, 100, 'x'), '\r\n\r\n'],
    { withinMs: HEADERS_TIMEOUT_MS + 2_000 },
  ),
  refused('request sent one byte per write', 401, 'token-missing', (c) => Array.from(headOf(c, 'GET', PARTS))),
  closes('WebSocket upgrade', [400, 401], bare('GET', PARTS, WEBSOCKET)),
  closes('h2c upgrade', [400], postJson(BASE, '{}', { extra: H2C })),
  tooSlow('Expect 100-continue, body never sent', post(BASE, `${length(50)}Expect: 100-continue\r\n`)),
  closes('unknown Expect', [417], post(BASE, `${length(2)}Expect: teapot\r\n`, '{}')),

  // ── header overflow (Node answers 431)
  closes('one header of 20 KiB', [431], bare('GET', BASE, `X-Big: ${'a'.repeat(20_480)}\r\n`)),
  closes('3,000 headers', [431], bare('GET', BASE, repeated(3_000, (i) => `x-${i}: y\r\n`))),
  closes('target of 20 KiB', [431], bare('GET', `${BASE}/${'a'.repeat(20_480)}/parts`)),
  closes('token header of 20 KiB', [431], bare('GET', PARTS, `X-Tessera-Upload-Token: ${'a'.repeat(20_480)}\r\n`)),
  refused('1,500 headers under the limit', 401, 'token-missing', bare('GET', PARTS, repeated(1_500, (i) => `x${i}: y\r\n`))),

  // ── chunked encoding
  closes('chunk size not hex', [400], post(BASE, CHUNKED, `zz\r\n{}\r\n${END_CHUNKS}`), { handled: 499 }),
  closes('chunk size overflowing', [400], post(BASE, CHUNKED, `ffffffffffffffffffff\r\n{}\r\n${END_CHUNKS}`), { handled: 499 }),
  closes('chunk size negative', [400], post(BASE, CHUNKED, `-2\r\n{}\r\n${END_CHUNKS}`), { handled: 499 }),
  closes('chunk without its CRLF', [400], post(BASE, CHUNKED, `2\r\n{}XX${END_CHUNKS}`), { handled: 499 }),
  closes('chunk extension of 20 KiB', [400, 413], post(BASE, CHUNKED, `2;${'a'.repeat(20_480)}\r\n{}\r\n${END_CHUNKS}`), {
    handled: 499,
  }),
  closes('chunked and Content-Length', [400], post(BASE, `${CHUNKED}${length(5)}`, `${chunk('{}')}${END_CHUNKS}`)),
  closes('chunked not last', [400], post(BASE, 'Transfer-Encoding: chunked, gzip\r\n', `${chunk('{}')}${END_CHUNKS}`)),
  closes('unknown transfer coding', [400], post(BASE, 'Transfer-Encoding: xchunked\r\n', `${chunk('{}')}${END_CHUNKS}`)),
  closes('chunked twice', [400], post(BASE, `${CHUNKED}${CHUNKED}`, `${chunk('{}')}${END_CHUNKS}`)),
  refused('chunked body, invalid JSON', 400, 'invalid-json', post(BASE, CHUNKED, `${chunk('{"fileName":')}${END_CHUNKS}`)),
  closes('chunked body over the create limit', [413], post(BASE, CHUNKED, repeated(40, () => chunk(KiB16)), END_CHUNKS), {
    handled: 413,
  }),

  // ── Content-Length lies
  closes('Content-Length shorter than the body', [400], post(BASE, length(5), CREATE_BODY), { responses: 2 }),
  tooSlow('Content-Length longer than the body', post(BASE, length(500), '{"fileName":"a"}')),
  closes('Content-Length longer, then a half-close', [400], post(BASE, length(500), '{"fileName":"a"}', { end: true }), {
    handled: 499,
  }),
  closes('two conflicting Content-Lengths', [400], post(BASE, `${length(2)}${length(3)}`, '{} ')),
  closes('two equal Content-Lengths', [400], post(BASE, `${length(2)}${length(2)}`, '{}')),
  closes('Content-Length -1', [400], post(BASE, 'Content-Length: -1\r\n', '{}')),
  closes('Content-Length abc', [400], post(BASE, 'Content-Length: abc\r\n', '{}')),
  closes('Content-Length 1e3', [400], post(BASE, 'Content-Length: 1e3\r\n', '{}')),
  closes('Content-Length +2', [400], post(BASE, 'Content-Length: +2\r\n', '{}')),
  closes('Content-Length of 23 digits', [400], post(BASE, 'Content-Length: 99999999999999999999999\r\n', '{}')),
  refused('Content-Length over the limit, no body', 413, 'body-too-large', post(BASE, length(20_000)), { handled: 413 }),
  refused('Content-Length 0', 400, 'invalid-json', postJson(BASE, '')),
  refused('GET with a body', 401, 'token-missing', then(bare('GET', PARTS, length(5)), 'hello')),
  refused('DELETE with a body that never ends', 401, 'token-missing', then(bare('DELETE', `${BASE}/x`, length(100)), 'ab')),

  // ── clients that leave
  leaves('leaves mid-headers', (c) => [headOf(c, 'POST', BASE, length(100)).slice(0, 60), { destroy: true }]),
  leaves('leaves right after the headers', post(BASE, length(100), { destroy: true }), 499),
  leaves('leaves mid-body', post(BASE, length(1000), '{"fileName":"a', { destroy: true }), 499),
  leaves('resets mid-body', post(BASE, length(1000), '{"fileName":"a', { reset: true }), 499),
  leaves('leaves mid-chunk', post(BASE, CHUNKED, '10\r\n{"fil', { destroy: true }), 499),
  leaves('leaves mid-body of a sign', post(signPath, tokenAnd(length(1000)), '{"parts":[', { destroy: true }), 499),
  leaves('resets mid-body of a complete', post(completePath, tokenAnd(length(1000)), '{"parts":[', { reset: true }), 499),
  leaves(
    'leaves while a complete is being checked against the store',
    then(postJson(completePath, THREE_PARTS, { token: true }), { destroy: true }),
    'any',
  ),
  leaves('leaves while a list is being answered', (c) => [headOf(c, 'GET', listPath, withToken(c)), { destroy: true }], 'any'),

  // ── slow bodies (the handler's deadline is BODY_TIMEOUT_MS)
  tooSlow('body trickled a byte per 100 ms', post(BASE, length(100), ...trickle(30, 100))),
  tooSlow('chunked body trickled', post(BASE, CHUNKED, ...trickle(30, 100, chunk(' ')))),
  tooSlow('body never sent', post(BASE, length(10))),
  tooSlow('sign body trickled', post(signPath, tokenAnd(length(100)), ...trickle(30, 100))),
  tooSlow('complete body trickled', post(completePath, tokenAnd(length(100)), ...trickle(30, 100))),

  // ── bytes that are not UTF-8
  refused('invalid UTF-8 bytes', 400, 'invalid-json', postJson(BASE, bytes([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))),
  refused(
    'overlong UTF-8 slash in fileName',
    400,
    'invalid-json',
    postJson(BASE, bytes('{"fileName":"a', [0xc0, 0xaf], 'b","contentType":"video/mp4","size":1}')),
  ),
  refused('UTF-8-encoded surrogate', 400, 'invalid-json', postJson(BASE, bytes('{"fileName":"', [0xed, 0xa0, 0x80], '"}'))),
  refused('UTF-8 cut mid-character', 400, 'invalid-json', postJson(BASE, bytes('{"fileName":"a"}', [0xe2, 0x82]))),
  refused('UTF-16LE body', 400, 'invalid-json', postJson(BASE, Buffer.from('{"fileName":"a"}', 'utf16le'))),
  refused('BOM before the JSON', 400, 'invalid-field', postJson(BASE, bytes([0xef, 0xbb, 0xbf], '{"size":-1}'))),
  refused(
    'latin1 user header',
    400,
    'invalid-field',
    edited(postJson(BASE, '{}'), (text) => text.replace('X-Test-User: alice', 'X-Test-User: \xe9\xff')),
  ),
  refused('latin1 token header', 403, 'token-invalid', bare('GET', PARTS, 'X-Tessera-Upload-Token: \xe9\xff.\xfe\r\n')),
  refused('percent-encoded 0xFF in the upload id', 400, 'invalid-field', bare('GET', `${BASE}/%ff/parts`)),

  // ── huge bodies
  closes('create declaring 10 MiB and sending it', [413], post(BASE, length(10 * MiB), ...Array(10).fill('x'.repeat(MiB))), {
    handled: 413,
  }),
  refused('sign over 64 KiB', 413, 'body-too-large', postJson(signPath, `{"pad":"${KiB16.repeat(4)}"}`, { token: true }), {
    mayClose: true,
    handled: 413,
  }),
  closes(
    'complete of 2 MiB, chunked',
    [413],
    post(completePath, tokenAnd(CHUNKED), repeated(32, () => chunk('x'.repeat(64 * 1024))), END_CHUNKS),
    { handled: 413 },
  ),
  refused(
    'complete of 1 MiB of whitespace',
    400,
    'invalid-field',
    postJson(completePath, `{"parts":[]${' '.repeat(MiB - 20)}}`, { token: true }),
  ),

  // ── JSON bombs
  refused('create: arrays 8,000 deep', 400, 'invalid-field', postJson(BASE, deepArrays(8_000))),
  refused('create: objects 2,500 deep', 400, 'invalid-field', postJson(BASE, deepObjects(2_500))),
  refused('sign: 30,000 deep', 400, 'invalid-field', postJson(signPath, `{"parts":${deepArrays(30_000)}}`, { token: true })),
  {
    name: 'complete: arrays 500,000 deep',
    steps: postJson(completePath, deepArrays(500_000), { token: true }),
    statuses: [400],
  },
  // More objects than the upload can have parts: refused on its bytes, before it is parsed.
  refused(
    'complete: parts objects 170,000 deep',
    422,
    'too-many-parts',
    postJson(completePath, `{"parts":[${deepObjects(170_000)}]}`, { token: true }),
  ),
  refused(
    'complete: 300,000 parts',
    422,
    'too-many-parts',
    postJson(completePath, `{"parts":[${Array(300_000).fill('1').join(',')}]}`, { token: true }),
  ),
  refused(
    'complete: 60,000 keys',
    400,
    'invalid-field',
    postJson(completePath, `{${repeated(60_000, (i) => `"k${i}":0,`)}"k":0}`, { token: true }),
  ),
  refused(
    'create: size of 15,000 digits',
    400,
    'invalid-field',
    postJson(BASE, `{"fileName":"a.mp4","contentType":"video/mp4","size":${'9'.repeat(15_000)}}`),
  ),
  {
    name: 'create: 2,000 lone surrogate escapes',
    steps: postJson(BASE, `{"fileName":"${'\\ud800'.repeat(2_000)}","contentType":"video/mp4","size":1}`),
    statuses: [400, 422],
  },
  refused(
    'create: duplicate keys, the last a path',
    422,
    'invalid-file-name',
    postJson(BASE, '{"fileName":"a.mp4","fileName":"../x","contentType":"video/mp4","size":1}'),
  ),
  refused(
    'create: __proto__ carrying the fields',
    400,
    'invalid-field',
    postJson(BASE, `{"__proto__":${CREATE_BODY}}`),
  ),

  // ── pipelined requests
  { name: 'three pipelined requests', steps: pipelined(3), statuses: [401], responses: 3 },
  { name: '50 pipelined requests', steps: pipelined(50), statuses: [401], responses: 50 },
  closes(
    'pipelined, then garbage',
    [400, 401],
    (c) => [`${headOf(c, 'GET', `${BASE}/a/parts`)}${headOf(c, 'GET', `${BASE}/b/parts`)}GARBAGE\r\n\r\n`],
    { responses: 3 },
  ),
  closes(
    'pipelined after a refused unread body',
    [401, 415],
    (c) => [`${headOf(c, 'POST', BASE, `Content-Type: text/plain\r\n${length(2)}`)}{}${headOf(c, 'GET', PARTS)}`],
    { responses: 2 },
  ),
  closes(
    'pipelined create after a Content-Length lie',
    [400, 401],
    (c) => [`${headOf(c, 'POST', BASE, `Content-Type: application/json\r\n${length(1)}`)}{}${headOf(c, 'GET', PARTS)}`],
    { responses: 2 },
  ),
];

let server: ChildUploadServer;
let upload: CreateUploadResponse;
const outcomes = new Map<string, RawOutcome>();

beforeAll(async () => {
  server = await startChildUploadServer(store, { bodyTimeoutMs: BODY_TIMEOUT_MS, headersTimeoutMs: HEADERS_TIMEOUT_MS });
  const created = await createUpload(server.url, { fileName: 'target.mp4', contentType: 'video/mp4', size: 20 * MiB });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  upload = created.body;
});

afterAll(async () => {
  if (!server) return;
  if (upload && server.alive()) {
    await call(server.url, 'DELETE', `/v1/uploads/${encodeURIComponent(upload.uploadId)}`, undefined, { token: upload.token });
  }
  const answered = [...outcomes.values()].filter((outcome) => outcome.responses.length > 0).length;
  const closed = [...outcomes].filter(([, outcome]) => outcome.responses.length === 0).map(([name]) => name);
  console.log(
    `malformed HTTP: ${outcomes.size} exchanges, ${answered} answered, ${closed.length} without an answer ` +
      `(${closed.join('; ')}); server alive: ${server.alive()}, onError calls: ${server.errors().length}`,
  );
  await server.stop();
});

describe('malformed HTTP gets a 4xx or a closed connection, never a 5xx or a hang, and the server lives on', () => {
  it('has a corpus of distinct cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(cases.map((row) => row.name)).size).toBe(cases.length);
  });

  it.each(cases.map((row) => [row.name, row] as const))('%s', async (name, row) => {
    const context: Context = { host: `127.0.0.1:${server.port}`, name, uploadId: upload.uploadId, token: upload.token };
    const expected = row.responses ?? 1;
    const outcome = await rawExchange(server.port, row.steps(context), {
      responses: expected,
      timeoutMs: EXCHANGE_TIMEOUT_MS,
      head: row.head ?? false,
    });
    outcomes.set(name, outcome);
    const seen = JSON.stringify({ ...outcome, responses: outcome.responses.map((r) => `${r.status} ${r.body.slice(0, 200)}`) });

    expect(outcome.timedOut, `the server neither answered nor closed the connection: ${seen}`).toBe(false);
    for (const response of outcome.responses) {
      expect(response.status, seen).toBeGreaterThanOrEqual(400);
      expect(response.status, seen).toBeLessThan(500);
      expect(row.statuses, seen).toContain(response.status);
    }
    if (row.clientLeaves) {
      expect(outcome.responses, seen).toEqual([]);
    } else if (row.mayClose) {
      if (outcome.responses.length === 0) expect(outcome.serverClosed, seen).toBe(true);
    } else {
      expect(outcome.responses.length, seen).toBe(expected);
    }
    if (row.code !== undefined) {
      const answer = outcome.responses[0];
      expect(answer?.headers['content-type'], seen).toMatch(/^application\/json/);
      expect((JSON.parse(answer?.body ?? 'null') as { error?: { code?: string } } | null)?.error?.code, seen).toBe(row.code);
    }
    if (row.withinMs !== undefined) expect(outcome.elapsedMs, seen).toBeLessThan(row.withinMs);
    if (row.handled !== undefined) {
      const report = await server.waitFor((event) => event.event === 'served' && event.case === name, EXCHANGE_TIMEOUT_MS);
      if (row.handled !== 'any') expect(report, seen).toMatchObject({ status: row.handled });
    }
    expect(server.errors().filter((error) => error.case === name)).toEqual([]);
    expect(server.alive(), server.stderr()).toBe(true);
  });

  it('is still alive, reported no error, and serves a whole upload: create → sign → PUT → complete', async () => {
    expect(server.alive(), server.stderr()).toBe(true);
    const data = testBytes(1000, 31);
    const request = { fileName: 'after.bin', contentType: 'application/octet-stream', size: data.length };
    const created = await createUpload(server.url, request);
    expect(created.status).toBe(201);
    const parts = await putParts(server.url, created.body, data, [1]);
    expect(parts[0]?.etag.replace(/"/g, '')).toBe(Buffer.from(md5Base64(data), 'base64').toString('hex'));
    const done = await completeUpload(server.url, created.body, { parts });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ key: created.body.key, size: data.length, partCount: 1 });
    expect(server.errors()).toEqual([]);
    expect(server.alive(), server.stderr()).toBe(true);
  });
});
