/**
 * fast-check arbitraries for hostile requests to every route of the upload handler. A request is
 * generated as data that names the fixture it aims at rather than holding its id or token (the fixtures
 * are made while the property runs): `hostileRequest` draws the route, server, method, path, user, token,
 * headers and body; `resolveRequest` (`sendHostile.ts`) turns it into a real request.
 *
 * Numbers that depend on the fixture (its part size, its last part, its policy maximum) are written as
 * `{ $ref, plus }` and resolved then; `{ $raw }` is JSON text spliced in as is (`1e400`, `NaN`, `1.0`);
 * `{ $parts }` is a complete's part list built from the fixture's parts (all of them, one too many, …).
 */
import fc from 'fast-check';
import { DERIVED_TOKENS, type DerivedToken, FIXTURE_NAMES, type FixtureName, type ServerName, WHALE } from './hostileFixtures.js';

export const ROUTES = ['create', 'sign', 'list', 'complete', 'abort'] as const;
export type RouteName = (typeof ROUTES)[number];
export const ROUTE_METHOD: Record<RouteName, string> = {
  create: 'POST',
  sign: 'POST',
  list: 'GET',
  complete: 'POST',
  abort: 'DELETE',
};

/** A number taken from the fixture (or, for create, the policy), plus `plus`. */
export type Ref = {
  $ref:
    | 'partSize'
    | 'partCount'
    | 'lastPart'
    | 'size'
    | 'maxSize'
    | 'minSize'
    | 'sizeOfPart'
    | 'sha256'
    | 'checksum'
    | 'policyMax';
  plus: number;
};
/** JSON text written into the body as is. */
export type Raw = { $raw: string };
/** A complete's part list made from the fixture's parts. */
export type PartList = {
  $parts: {
    count: 'all' | 'one-less' | 'one-more' | 10_000 | 10_001;
    etag: 'stored' | 'fake' | 'quoted' | 'upper-case' | 'empty' | 'long' | 'number';
    change: 'none' | 'swap-first-two' | 'repeat-first' | 'number-zero' | 'skip-first' | 'reverse';
  };
};
/** A sign's part list of `count` parts, each a valid one unless `change` says otherwise. */
export type SignList = { $signParts: { count: number; change: 'none' | 'repeat-first' | 'all-part-one' } };

export type TokenChoice =
  | { kind: 'none' }
  | { kind: 'own' }
  | { kind: 'of'; upload: FixtureName }
  | { kind: 'derived'; variant: DerivedToken }
  /** The fixture's payload with another fixture's signature. */
  | { kind: 'swapped' }
  | { kind: 'literal'; value: string };

export type PathChange =
  | 'none'
  | 'trailing-slash'
  | 'double-slash'
  | 'upper-version'
  | 'v2'
  | 'extra-segment'
  | 'dot-segment'
  | 'encoded-slash'
  | 'query'
  | 'upper-case-operation'
  | 'matrix'
  | 'backslash'
  | 'no-version'
  | { replace: string };

export type Body =
  | { kind: 'none' }
  /** JSON, possibly holding `$ref`, `$raw`, `$parts` and `$signParts` markers. */
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: readonly number[] };

export interface HostileRequest {
  /** The route the request is aimed at (the path may still miss it, see `path`). */
  route: RouteName;
  server: ServerName;
  /** The fixture whose id is in the path and whose numbers `$ref`s take. */
  target: FixtureName;
  method: string;
  /** The upload id segment: the target's, another fixture's, or hostile text. */
  id: { kind: 'own' } | { kind: 'of'; upload: FixtureName } | { kind: 'literal'; value: string };
  path: PathChange;
  /** Who the request says it is: a user, nobody, or the target upload's owner. */
  user: string | null | { owner: true };
  token: TokenChoice;
  contentType: string | null;
  headers: Array<[string, string]>;
  body: Body;
  /** Create: the body fields drawn from the valid pool; a refusal must not blame them. */
  intactFields: string[];
}

// ── building blocks

const weighted = <T>(...entries: Array<[number, fc.Arbitrary<T>]>) =>
  fc.oneof(...entries.map(([weight, arbitrary]) => ({ weight, arbitrary })));
const ref = (name: Ref['$ref'], ...plus: number[]): fc.Arbitrary<Ref> =>
  fc.constantFrom(...plus).map((value) => ({ $ref: name, plus: value }));
const raw = (...texts: string[]): fc.Arbitrary<Raw> => fc.constantFrom(...texts).map((text) => ({ $raw: text }));

/** Values of the wrong JSON type for any field. */
const wrongType = fc.constantFrom<unknown>(null, true, false, [], ['a'], {}, { toString: 'x' }, { valueOf: 1 }, [1, 2]);
/** Numbers at and past every limit JSON can carry. */
const limitNumbers = fc.constantFrom(
  ...[0, -1, 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 - 1, 2 ** 53 + 2, -(2 ** 53), 1.5, 0.1, -0, 1e21, 1e308, 5e-324],
);
/** Numbers as JSON text no serializer writes. */
const rawNumbers = raw(
  ...['1e400', '-1e400', 'NaN', 'Infinity', '-Infinity', '1.0', '1e0', '01', '0x10', '1_000', '+1', '.5', '1.', '-'],
  ...['9'.repeat(400), '1000.0000000000001'],
);
/** Strings that look like numbers. */
const numericStrings = fc.constantFrom('1', '1000', '0', '-1', 'NaN', 'Infinity', '', ' 1', '1e3', '0x10', '٣');

/** Characters that names and keys must not carry, and some that they may. */
const HOSTILE_CHARACTERS = [
  '\u0000', '\u0001', '\u0007', '\u0009', '\u000a', '\u000d', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f',
  '\ud800', '\udbff', '\udc00', '\udfff', '\ufffe', '\uffff', '\ufdd0', '\ufdef',
  '\u{1fffe}', '\u{1ffff}', '\u{10fffe}', '\u{10ffff}',
  '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c',
  '\u2028', '\u2029', '\ufeff', '\u200b', '\u200d', '\u00a0', '\u3000', '\u0301', '/', '\\', '.', '..', '%', '%2f', ':', '*',
  '?', '#', '"', "'", '<', '>', '|', '&', ';', '$', '`', ' ', 'é', 'ß', 'İ', '日', '😀', '\u{1f3f3}\u{fe0f}\u200d\u{1f308}',
];
const hostileCharacter = fc.constantFrom(...HOSTILE_CHARACTERS);
/** Any UTF-16 code unit, lone surrogates included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

const NAMED_FILE_NAMES = [
  '', ' ', '   ', '\t', '.', '..', '...', '../x', '../../etc/passwd', 'a/b.mp4', '/abs.mp4', 'C:\\x.mp4', 'a\\b', '%2e%2e%2f',
  '..%2f..%2fx', 'CON', 'nul.txt', 'a.', 'a ', ' a', '.hidden', '-rf', 'x'.repeat(255), 'x'.repeat(256), 'é'.repeat(127),
  'é'.repeat(128), '€'.repeat(85), '€'.repeat(86), '😀'.repeat(63), '😀'.repeat(64), 'x'.repeat(1024), 'x'.repeat(1025),
  'x'.repeat(5000), 'résumé.pdf', '日本語.txt', 'e\u0301.mp4', 'ﬁle.mp4', '\u202egpj.exe', 'a\u2028b', 'a\u0000b',
  '\ud800.mp4',
  '\udc00\ud800', '\ufffe', '\uffff', '<script>alert(1)</script>', '"quoted".mp4', "it's.mp4", '${HOME}', '%s%n', 'a?b#c',
];

// ── create bodies

type Field = { value: unknown; intact: boolean } | null;
const intact = (value: unknown): fc.Arbitrary<Field> => fc.constant({ value, intact: true });
const hostile = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<Field> => arbitrary.map((value) => ({ value, intact: false }));
const omitted: fc.Arbitrary<Field> = fc.constant(null);

const fileNameField = weighted<Field>(
  [3, intact('clip.mp4')],
  [4, hostile(fc.constantFrom(...NAMED_FILE_NAMES))],
  [
    3,
    hostile(
      fc
        .tuple(fc.string({ maxLength: 6 }), hostileCharacter, fc.string({ maxLength: 6 }))
        .map(([before, character, after]) => `${before}${character}${after}.mp4`),
    ),
  ],
  [2, hostile(fc.string({ unit: anyCodeUnit, maxLength: 24 }))],
  [1, hostile(fc.string({ unit: 'binary', minLength: 40, maxLength: 300 }))],
  [1, hostile(fc.integer({ min: 250, max: 1100 }).map((length) => 'n'.repeat(length)))],
  [1, hostile(fc.oneof(wrongType, limitNumbers))],
  [1, omitted],
);

const CONTENT_TYPES = [
  '', 'video/*', '*/*', 'video', 'video/', '/mp4', 'vid eo/mp4', 'VIDEO/MP4', 'video/MP4', 'video/mp4; codecs="avc1"',
  'video/mp4;swift_bytes=5', 'video/mp4; charset=\u00e9', 'application/directory', 'application/x-directory', 'text/plain',
  'text/html', 'image/svg+xml', 'application/octet-stream', 'application/json', 'video/mp4\n',
  'video/mp4\r\nx-amz-acl: public-read',
  'video/mp4\u0000', 'video/mp4\u2028', 'video/mp4\u202e', 'vidéo/mp4', `video/${'x'.repeat(240)}`, `video/${'x'.repeat(260)}`,
  'a/b/c', 'x-/y', '-a/b', 'video/mp4 ', ' video/mp4',
];
const contentTypeField = weighted<Field>(
  [4, intact('video/mp4')],
  [5, hostile(fc.constantFrom(...CONTENT_TYPES))],
  [1, hostile(fc.string({ unit: anyCodeUnit, maxLength: 12 }))],
  [1, hostile(fc.oneof(wrongType, limitNumbers))],
  [1, omitted],
);

const sizeField = weighted<Field>(
  [4, intact(1000)],
  [4, hostile(ref('policyMax', -1, 0, 1))],
  [3, hostile(limitNumbers)],
  [2, hostile(rawNumbers)],
  [1, hostile(numericStrings)],
  [1, hostile(wrongType)],
  [1, hostile(fc.constantFrom(10_000 * 8 * 1024 * 1024, 10_001 * 8 * 1024 * 1024, 5 * 1024 ** 4, 5 * 1024 ** 4 + 1))],
  [1, omitted],
);

const VALID_SHA256 = `${'A'.repeat(43)}=`;
const sha256Field = weighted<Field>(
  [4, omitted],
  [2, intact(VALID_SHA256)],
  [
    3,
    hostile(
      fc.constantFrom(
        ...['', 'A'.repeat(43), 'A'.repeat(44), `${'A'.repeat(44)}=`, `${'*'.repeat(43)}=`, `${'A'.repeat(43)}=\n`],
        ...['1B2M2Y8AsgTpgAmY7PhCfg==', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', `${'é'.repeat(43)}=`],
      ),
    ),
  ],
  [1, hostile(fc.oneof(wrongType, limitNumbers))],
);

/** Keys a client might add hoping the server takes them (the key, the owner, the plan). */
const extraFields = fc.dictionary(
  fc.constantFrom(
    ...['key', 'uploadId', 'userId', 'objectKey', 'bucket', 'partSize', 'partCount', 'token', 'parts', 'constructor'],
    ...['prototype', 'x'],
  ),
  fc.oneof(fc.string({ maxLength: 12 }), limitNumbers, wrongType),
  { maxKeys: 3 },
);

const createObject = fc
  .record({ fileName: fileNameField, contentType: contentTypeField, size: sizeField, sha256: sha256Field, extra: extraFields })
  .map(({ extra, ...fields }) => {
    const value: Record<string, unknown> = { ...extra };
    const intactFields: string[] = [];
    for (const [name, field] of Object.entries(fields)) {
      if (field === null) continue;
      value[name] = field.value;
      if (field.intact) intactFields.push(name);
    }
    return { body: { kind: 'json', value } as Body, intactFields };
  });

const validCreateText = '"fileName":"clip.mp4","contentType":"video/mp4","size":1000';
/** Bodies no JSON serializer writes: broken, duplicated keys, `__proto__`, nesting, padding, bytes. */
const oddBody: fc.Arbitrary<Body> = weighted<Body>(
  [3, fc.constantFrom<unknown>(null, [], 'x', 42, true, [{}], [validCreateText]).map((value) => ({ kind: 'json', value }))],
  [
    3,
    fc
      .constantFrom(
        '',
        ' ',
        '{',
        '}',
        '{"fileName":',
        `{${validCreateText},}`,
        `{${validCreateText}}garbage`,
        `{${validCreateText}}{}`,
        `{"fileName":"clip.mp4","fileName":"../x","contentType":"video/mp4","size":1000}`,
        `{"__proto__":{"fileName":"clip.mp4","contentType":"video/mp4","size":1000}}`,
        `{"__proto__":{"x":1},${validCreateText},"sha256":"zz"}`,
        `{${validCreateText.replace('1000', '1000.0')},"sha256":1}`,
        `{"fileName":"clip.mp4","contentType":"video/mp4","size":NaN}`,
        `{"fileName":'clip.mp4'}`,
        `{fileName:"clip.mp4"}`,
        `{"fileName":"\\ud800","contentType":"video/mp4","size":1000}`,
        `{"fileName":"\\u0000","contentType":"video/mp4","size":1000}`,
        `{"fileName":"a\\/b","contentType":"video/mp4","size":1000}`,
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        `${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`,
        `{${validCreateText},"pad":"${'x'.repeat(17 * 1024)}"}`,
        `{${validCreateText},"parts":[${Array(4000).fill('1').join(',')}]}`,
      )
      .map((text) => ({ kind: 'text', text })),
  ],
  [
    2,
    fc
      .constantFrom(
        [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d],
        [0xef, 0xbb, 0xbf, 0x7b, 0x7d],
        [0x7b, 0x22, 0x66, 0x69, 0x6c, 0x65, 0x4e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d],
        [0x7b, 0x22, 0x66, 0x69, 0x6c, 0x65, 0x4e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d],
        [0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d],
        [0x00],
      )
      .map((bytes) => ({ kind: 'bytes', bytes })),
  ],
  [1, fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'bytes', bytes: [...bytes] }))],
);

const createBody = weighted<{ body: Body; intactFields: string[] }>(
  [9, createObject],
  [2, oddBody.map((body) => ({ body, intactFields: [] }))],
);

// ── sign and complete bodies

const MD5_OF_NOTHING = '1B2M2Y8AsgTpgAmY7PhCfg==';
const partNumber = weighted<unknown>(
  [6, fc.constantFrom(1, 2, 3)],
  [4, ref('lastPart', 0, 1)],
  [3, fc.constantFrom(0, -1, 6400, 6401, 10_000, 10_001, 2 ** 53, 2 ** 31, 1.5, -0)],
  [1, fc.constantFrom('1', null, true, [1], {})],
  [1, raw('1.0', '1e0', '-0', '1e400', '01', 'NaN')],
);
const partSize = weighted<unknown>(
  [6, ref('sizeOfPart', 0)],
  [3, ref('sizeOfPart', -1, 1)],
  [2, ref('partSize', 0, 1)],
  [2, fc.constantFrom(0, -1, 1, 2 ** 53, 1.5, 5 * 1024 ** 4)],
  [1, fc.constantFrom('8', null, [], {})],
  [1, raw('1e400', '8388608.0', 'NaN')],
);
const checksum = weighted<unknown>(
  [6, fc.constant(MD5_OF_NOTHING)],
  [
    2,
    fc.constantFrom(
      ...['', `${'A'.repeat(43)}=`, 'x', 'A'.repeat(64), 'A'.repeat(65), 'A'.repeat(24), `${'A'.repeat(22)}=`],
      `${'*'.repeat(22)}==`,
    ),
  ],
  [1, fc.constantFrom(null, 5, [], {})],
);
const signPart = fc.record(
  { partNumber, size: partSize, checksum, extra: fc.constantFrom(undefined, 'x') },
  { requiredKeys: [] },
);
const signParts = weighted<unknown>(
  [8, fc.array(signPart, { minLength: 1, maxLength: 4 })],
  [
    2,
    fc
      .tuple(
        fc.constantFrom(1, 3, 99, 100, 101, 1_000),
        fc.constantFrom<SignList['$signParts']['change']>('none', 'repeat-first', 'all-part-one'),
      )
      .map(([count, change]) => ({ $signParts: { count, change } })),
  ],
  [1, fc.constantFrom<unknown>([], {}, 'parts', null, 5, [[]], [null])],
);
const signBody = weighted<Body>(
  [9, fc.record({ parts: signParts }, { requiredKeys: [] }).map((value) => ({ kind: 'json', value }))],
  [1, oddBody],
);

const completePart = fc.record(
  {
    partNumber,
    etag: weighted<unknown>(
      [3, fc.constantFrom('"d41d8cd98f00b204e9800998ecf8427e"', 'd41d8cd98f00b204e9800998ecf8427e', 'x')],
      [1, fc.constantFrom('', 'e'.repeat(128), 'e'.repeat(129), null, 5, [])],
    ),
  },
  { requiredKeys: [] },
);
const completeParts = weighted<unknown>(
  [
    8,
    fc
      .record({
        count: weighted<PartList['$parts']['count']>(
          [6, fc.constant('all')],
          [2, fc.constantFrom('one-less', 'one-more')],
          [1, fc.constantFrom(10_000, 10_001)],
        ),
        etag: weighted<PartList['$parts']['etag']>(
          [6, fc.constant('stored')],
          [2, fc.constantFrom('fake', 'quoted', 'upper-case')],
          [1, fc.constantFrom('empty', 'long', 'number')],
        ),
        change: weighted<PartList['$parts']['change']>(
          [6, fc.constant('none')],
          [2, fc.constantFrom('swap-first-two', 'repeat-first', 'number-zero', 'skip-first', 'reverse')],
        ),
      })
      .map((list) => ({ $parts: list })),
  ],
  [3, fc.array(completePart, { minLength: 1, maxLength: 4 })],
  [1, fc.constantFrom<unknown>([], {}, 'parts', null, [null], [[]])],
);
const completeSize = weighted<unknown>(
  [4, fc.constant(undefined)],
  [3, ref('size', 0)],
  [2, ref('size', -1, 1)],
  [2, ref('maxSize', 0, 1)],
  [1, ref('minSize', -1, 0)],
  [1, fc.constantFrom(0, -1, 2 ** 53, 1.5, '1000', null)],
);
const completeSha = weighted<unknown>(
  [5, fc.constant(undefined)],
  [2, ref('sha256', 0)],
  [1, fc.constantFrom(VALID_SHA256, 'zz', '', 5)],
);
const completeBody = weighted<Body>(
  [
    9,
    fc
      .record({ parts: completeParts, size: completeSize, sha256: completeSha }, { requiredKeys: ['parts'] })
      .map(({ parts, size, sha256 }) => ({
        kind: 'json',
        value: { parts, ...(size !== undefined && { size }), ...(sha256 !== undefined && { sha256 }) },
      })),
  ],
  [1, oddBody],
);

// ── transport: method, path, headers

// Methods Node's parser knows (it answers others itself, before the handler: see malformedHttp.test.ts).
const OTHER_METHODS = [
  ...['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'QUERY', 'M-SEARCH', 'PURGE'],
  ...['get', 'delete'],
];
const method = (route: RouteName) =>
  weighted<string>([10, fc.constant(ROUTE_METHOD[route])], [2, fc.constantFrom(...OTHER_METHODS)]);

const LITERAL_IDS = [
  '', '.', '..', '%2e%2e', '%2E', '%', '%zz', '%ff', '%C0%AF', '%ED%A0%80', '%00', '%2F', 'a%2Fb', '日本', '\u202e', '~',
  'a+b', 'null', 'undefined', '0', '-1', '[object Object]', 'ODRiYzMzZmEtYTczMy00NjVhLTg3MzYtOTNmYjZiY2JkODA2', ' ',
];
const uploadIdSegment = weighted<HostileRequest['id']>(
  [12, fc.constant({ kind: 'own' })],
  [2, fc.constantFrom(...FIXTURE_NAMES).map((upload) => ({ kind: 'of', upload }))],
  [2, fc.constantFrom(...LITERAL_IDS).map((value) => ({ kind: 'literal', value }))],
  [1, fc.string({ unit: anyCodeUnit, maxLength: 16 }).map((value) => ({ kind: 'literal', value }))],
  [1, fc.integer({ min: 1000, max: 8000 }).map((length) => ({ kind: 'literal', value: 'i'.repeat(length) }))],
);
const pathChange = weighted<PathChange>(
  [24, fc.constant('none')],
  [
    4,
    fc.constantFrom<PathChange>(
      'trailing-slash', 'double-slash', 'upper-version', 'v2', 'extra-segment', 'dot-segment', 'encoded-slash', 'query',
      'upper-case-operation', 'matrix', 'backslash', 'no-version',
    ),
  ],
  [
    1,
    fc
      .oneof(
        fc.constantFrom(
          ...['/', '', '/v1', '/v1/', '/v1/uploads/', '/v1//uploads', '/v1/uploads/x/y/z', '/v1/%75ploads'],
          '/v1/uploads/%2e%2e/uploads',
        ),
        fc.string({ unit: anyCodeUnit, maxLength: 20 }).map((text) => `/v1/uploads/${text}`),
        fc.integer({ min: 1000, max: 8000 }).map((length) => `/v1/${'p'.repeat(length)}`),
      )
      .map((replace) => ({ replace })),
  ],
);

const user = weighted<HostileRequest['user']>(
  [4, fc.constant({ owner: true as const })],
  [14, fc.constant('alice')],
  [2, fc.constant('bob')],
  [1, fc.constantFrom('mallory', WHALE)],
  [2, fc.constant(null)],
  [1, fc.constantFrom('', 'ALICE', 'alice\u00a0', '\u00e9l\u00efce', 'u'.repeat(3000), '../../root', 'a/b', '%00', '.', '..')],
);

/** Header-safe text: Latin-1 without NUL, CR or LF. */
const headerText = (maxLength: number) =>
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((code) => code !== 0x7f)
      .map((code) => String.fromCharCode(code)),
    maxLength,
  });
const token = weighted<TokenChoice>(
  [12, fc.constant({ kind: 'own' })],
  [3, fc.constantFrom(...FIXTURE_NAMES).map((upload) => ({ kind: 'of', upload }))],
  [5, fc.constantFrom(...DERIVED_TOKENS).map((variant) => ({ kind: 'derived', variant }))],
  [1, fc.constant({ kind: 'swapped' })],
  [2, fc.constant({ kind: 'none' })],
  [
    1,
    fc
      .oneof(fc.constantFrom('', '.', '..', 'a.b', 'a.b.c', 'é.ÿ', 'null', 't'.repeat(8000), 'Bearer x'), headerText(40))
      .map((value) => ({ kind: 'literal', value })),
  ],
);

const JSON_CONTENT_TYPES = [
  'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;', 'application/json ;x=y', 'application/jsonx',
  'application/json-patch+json', 'application/ld+json', 'text/json', 'text/plain', 'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/json, text/plain', '*/*',
  'application/\u00e9son', 'json', ' application/json',
];
const contentType = weighted<string | null>(
  [14, fc.constant('application/json')],
  [3, fc.constantFrom(...JSON_CONTENT_TYPES)],
  [1, fc.constant(null)],
);

const EXTRA_HEADERS: Array<[string, string]> = [
  ['origin', 'https://evil.example'],
  ['content-encoding', 'gzip'],
  ['x-forwarded-host', 'evil.example'],
  ['x-forwarded-proto', 'https'],
  ['x-http-method-override', 'DELETE'],
  ['x-original-url', '/api/uploads/v1/uploads'],
  ['authorization', 'Bearer x'],
  ['cookie', 'session=1'],
  ['accept', 'text/html'],
  ['range', 'bytes=0-1'],
  ['if-none-match', '*'],
  ['x-amz-copy-source', 'tessera-test/secret'],
  ['access-control-request-method', 'DELETE'],
  ['x-tessera-upload-token-2', 'x'],
];
const extraHeaders = weighted<Array<[string, string]>>(
  [6, fc.constant([])],
  [1, fc.subarray(EXTRA_HEADERS, { maxLength: 3 })],
);

const target = weighted<FixtureName>(
  [4, fc.constantFrom('open', 'ready', 'multi')],
  [3, fc.constantFrom(...FIXTURE_NAMES)],
);
const server = weighted<ServerName>([12, fc.constant('default')], [3, fc.constant('strict')], [2, fc.constant('bare')]);

const bodyOf = (route: RouteName): fc.Arbitrary<{ body: Body; intactFields: string[] }> => {
  const plain = (arbitrary: fc.Arbitrary<Body>) => arbitrary.map((body) => ({ body, intactFields: [] }));
  switch (route) {
    case 'create':
      return createBody;
    case 'sign':
      return plain(signBody);
    case 'complete':
      return plain(completeBody);
    case 'list':
    case 'abort':
      return plain(weighted<Body>([9, fc.constant({ kind: 'none' })], [1, fc.constant({ kind: 'json', value: { parts: [] } })]));
  }
};

// ── valid requests, and valid requests with one thing wrong

const CREATE_FIELDS = { fileName: fileNameField, contentType: contentTypeField, size: sizeField, sha256: sha256Field } as const;
const VALID_CREATE: Record<string, unknown> = { fileName: 'clip.mp4', contentType: 'video/mp4', size: 1000 };
const validSignPart = { partNumber: 1, size: { $ref: 'sizeOfPart', plus: 0 }, checksum: { $ref: 'checksum', plus: 0 } };
const cleanCompleteParts: PartList = { $parts: { count: 'all', etag: 'stored', change: 'none' } };

const cleanBody = (route: RouteName): fc.Arbitrary<{ body: Body; intactFields: string[] }> => {
  switch (route) {
    case 'create':
      return fc.constant({ body: { kind: 'json', value: VALID_CREATE }, intactFields: Object.keys(VALID_CREATE) });
    case 'sign':
      return fc
        .constantFrom(1, 2, 3)
        .map((count) => ({
          body: { kind: 'json', value: { parts: { $signParts: { count, change: 'none' } } } },
          intactFields: [],
        }));
    case 'complete':
      return fc
        .constantFrom<unknown>(undefined, { $ref: 'size', plus: 0 })
        .map((size) => ({
          body: { kind: 'json', value: { parts: cleanCompleteParts, ...(size !== undefined && { size }) } },
          intactFields: [],
        }));
    case 'list':
    case 'abort':
      return fc.constant({ body: { kind: 'none' }, intactFields: [] });
  }
};

/** A valid body with one field replaced by a hostile value (which may happen to be valid too). */
const oneFieldBody = (route: RouteName): fc.Arbitrary<{ body: Body; intactFields: string[] }> => {
  const json = (value: unknown) => ({ body: { kind: 'json', value } as Body, intactFields: [] });
  switch (route) {
    case 'create':
      return fc.constantFrom(...(Object.keys(CREATE_FIELDS) as Array<keyof typeof CREATE_FIELDS>)).chain((name) =>
        CREATE_FIELDS[name].map((field) => {
          const value = { ...VALID_CREATE };
          if (field === null) delete value[name];
          else value[name] = field.value;
          const intactFields = Object.keys(VALID_CREATE).filter((key) => key !== name || field?.intact === true);
          return { body: { kind: 'json', value } as Body, intactFields };
        }),
      );
    case 'sign':
      return fc
        .oneof(
          partNumber.map((value) => ({ ...validSignPart, partNumber: value })),
          partSize.map((value) => ({ ...validSignPart, size: value })),
          checksum.map((value) => ({ ...validSignPart, checksum: value })),
        )
        .map((part) => json({ parts: [part] }));
    case 'complete':
      return fc
        .oneof(
          completeParts.map((parts) => ({ parts })),
          completeSize.map((size) => ({ parts: cleanCompleteParts, size })),
          completeSha.map((sha256) => ({ parts: cleanCompleteParts, sha256 })),
        )
        .map(json);
    case 'list':
    case 'abort':
      return bodyOf(route);
  }
};

interface RequestParts extends Omit<HostileRequest, 'route' | 'body' | 'intactFields'> {
  payload: { body: Body; intactFields: string[] };
}

const assemble = (route: RouteName, { payload, ...rest }: RequestParts): HostileRequest => ({
  route,
  ...rest,
  body: payload.body,
  intactFields: payload.intactFields,
});

/** Anything goes: every part drawn from its hostile pool. */
const anything = (route: RouteName) =>
  fc.record({
    server,
    target,
    method: method(route),
    id: uploadIdSegment,
    path: pathChange,
    user,
    token,
    contentType,
    headers: extraHeaders,
    payload: bodyOf(route),
  });

/** The owner's valid request to the target. */
const clean = (route: RouteName) =>
  fc.record({
    server,
    target,
    method: fc.constant(ROUTE_METHOD[route]),
    id: fc.constant<HostileRequest['id']>({ kind: 'own' }),
    path: fc.constant<PathChange>('none'),
    user: fc.constant<HostileRequest['user']>({ owner: true }),
    token: fc.constant<TokenChoice>({ kind: 'own' }),
    contentType: fc.constant<string | null>('application/json'),
    headers: fc.constant<Array<[string, string]>>([]),
    payload: cleanBody(route),
  });

const ASPECTS = ['method', 'id', 'path', 'user', 'token', 'contentType', 'headers', 'payload', 'payload', 'payload'] as const;
/** The owner's valid request with one thing wrong: its method, path, user, token, headers or one body field. */
const oneThingWrong = (route: RouteName) =>
  fc
    .tuple(clean(route), anything(route), oneFieldBody(route), fc.constantFrom(...ASPECTS))
    .map(
      ([valid, wild, body, aspect]): RequestParts =>
        aspect === 'payload' ? { ...valid, payload: body } : { ...valid, [aspect]: wild[aspect] },
    );

/** One hostile request to any route: anything at all, a valid one with one thing wrong, or a valid one. */
export const hostileRequest: fc.Arbitrary<HostileRequest> = fc.constantFrom(...ROUTES).chain((route) =>
  weighted<RequestParts>([3, anything(route)], [3, oneThingWrong(route)], [1, clean(route)]).map((parts) =>
    assemble(route, parts),
  ),
);
