import { describe, expect, it } from 'vitest';
import { TesseraError, type TesseraErrorCode } from '../errors.js';
import {
  classifyPartFailure,
  MAX_REHASHES,
  MAX_RESIGNS,
  type PartFailure,
  type PartFailureContext,
  parseS3Error,
  type RetryDecision,
} from './retryPolicy.js';

const xml = (code: string, message = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
  '<RequestId>4442587FB7D0A2F9</RequestId></Error>';

const fresh: PartFailureContext = { partNumber: 7, attempt: 0, resigns: 0, rehashes: 0, maxAttempts: 8 };
const http = (status: number, body?: string): PartFailure =>
  body === undefined ? { kind: 'http', status } : { kind: 'http', status, body };

type Action = RetryDecision['action'];
type Context = Partial<PartFailureContext>;

describe('classifyPartFailure', () => {
  it.each<[name: string, action: Action, failure: PartFailure, context?: Context]>([
    ['network error', 'retry', { kind: 'network' }],
    ['timeout', 'retry', { kind: 'timeout' }],
    ['stall', 'retry', { kind: 'stalled' }],
    ['status 0 (no answer)', 'retry', http(0)],
    ['408', 'retry', http(408)],
    ['429', 'retry', http(429)],
    ['500', 'retry', http(500)],
    ['502 without body', 'retry', http(502)],
    ['503 SlowDown', 'retry', http(503, xml('SlowDown', 'Please reduce your request rate.'))],
    ['599', 'retry', http(599)],
    ['400 RequestTimeout', 'retry', http(400, xml('RequestTimeout'))],
    ['403 InternalError', 'retry', http(403, xml('InternalError'))],
    ['400 ServiceUnavailable', 'retry', http(400, xml('ServiceUnavailable'))],
    ['retry at the last allowed attempt', 'retry', { kind: 'network' }, { attempt: 6 }],
    ['403 ExpiredToken', 'resign', http(403, xml('ExpiredToken'))],
    ['403 RequestExpired', 'resign', http(403, xml('RequestExpired'))],
    ['403 AccessDenied, expired', 'resign', http(403, xml('AccessDenied', 'Request has expired'))],
    ['403 AccessDenied, Expires', 'resign', http(403, xml('AccessDenied', 'X-Amz-Expires in the past'))],
    ['403 expiry text only', 'resign', http(403, '<Error>Request has expired</Error>')],
    ['403 expired after one re-sign', 'resign', http(403, xml('RequestExpired')), { resigns: 1 }],
    ['403 SignatureDoesNotMatch', 'resign', http(403, xml('SignatureDoesNotMatch'))],
    ['re-sign ignores the attempt budget', 'resign', http(403, xml('ExpiredToken')), { attempt: 7 }],
    ['400 BadDigest', 'rehash', http(400, xml('BadDigest'))],
    ['400 InvalidDigest', 'rehash', http(400, xml('InvalidDigest'))],
    ['400 XAmzContentChecksumMismatch', 'rehash', http(400, xml('XAmzContentChecksumMismatch'))],
    ['400 InvalidChecksum', 'rehash', http(400, xml('InvalidChecksum'))],
    ['400 BadDigest, rehashed twice', 'rehash', http(400, xml('BadDigest')), { rehashes: 2 }],
  ])('%s → %s', (_name, action, failure, context) => {
    expect(classifyPartFailure(failure, { ...fresh, ...context })).toEqual({ action });
  });

  it.each<[name: string, code: TesseraErrorCode, failure: PartFailure, context: Context, message: RegExp]>([
    ['aborted', 'aborted', { kind: 'aborted' }, {}, /aborted/],
    ['unreadable ETag', 'etag-not-exposed', { kind: 'etag-missing' }, {}, /"ETag" to ExposeHeaders.*CORS/],
    ['400 InvalidArgument', 'part-rejected', http(400, xml('InvalidArgument', 'Bad')), {}, /400 InvalidArgument Bad/],
    ['403 AccessDenied (not expiry)', 'part-rejected', http(403, xml('AccessDenied', 'Access Denied')), {}, /Denied/],
    ['403 without body', 'part-rejected', http(403), {}, /HTTP 403/],
    ['404 NoSuchUpload', 'part-rejected', http(404, xml('NoSuchUpload')), {}, /NoSuchUpload/],
    ['413', 'part-rejected', http(413), {}, /413/],
    ['301 PermanentRedirect', 'part-rejected', http(301, xml('PermanentRedirect')), {}, /PermanentRedirect/],
    ['BadDigest with status 403', 'part-rejected', http(403, xml('BadDigest')), {}, /BadDigest/],
    ['re-signed bad signature', 'part-rejected', http(403, xml('SignatureDoesNotMatch')), { resigns: 1 }, /Signat/],
    ['expired, re-signs spent', 'signature-expired', http(403, xml('ExpiredToken')), { resigns: MAX_RESIGNS }, /skew/],
    ['digest, rehashes spent', 'checksum-mismatch', http(400, xml('BadDigest')), { rehashes: MAX_REHASHES }, /4 times/],
    ['network, last attempt', 'retries-exhausted', { kind: 'network' }, { attempt: 7 }, /8 times; last: network/],
    [
      'stall, last attempt',
      'retries-exhausted',
      { kind: 'stalled' },
      { attempt: 2, maxAttempts: 3 },
      /3 times; last: stall/,
    ],
    ['503, last attempt', 'retries-exhausted', http(503, xml('SlowDown', 'Slow')), { attempt: 7 }, /503 SlowDown Slow/],
    ['a single allowed attempt', 'retries-exhausted', { kind: 'timeout' }, { maxAttempts: 1 }, /last: timeout/],
  ])('%s → fail with %s', (_name, code, failure, context, message) => {
    const decision = classifyPartFailure(failure, { ...fresh, ...context });
    if (decision.action !== 'fail') throw new Error(`expected fail, got ${decision.action}`);
    expect(decision.error).toBeInstanceOf(TesseraError);
    expect(decision.error).toMatchObject({
      code,
      retryable: code === 'retries-exhausted',
      partNumber: 7,
      status: failure.kind === 'http' ? failure.status : undefined,
      cause: failure,
    });
    expect(decision.error.message).toMatch(message);
  });
});

describe('parseS3Error', () => {
  it.each([
    {
      body: xml('SlowDown', 'Please reduce your request rate.'),
      parsed: { code: 'SlowDown', message: 'Please reduce your request rate.' },
    },
    { body: '<Error><Code> NoSuchKey </Code></Error>', parsed: { code: 'NoSuchKey' } },
    {
      body: '<Error><Message>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#233;&#x41; &bogus;</Message></Error>',
      parsed: { message: 'a <b> & "c" \'d\' éA &bogus;' },
    },
    { body: '<Error><Code></Code><Message></Message></Error>', parsed: {} },
    { body: '<Error><Code>First</Code><Code>Second</Code></Error>', parsed: { code: 'First' } },
    { body: '', parsed: {} },
    { body: 'Service Unavailable', parsed: {} },
    { body: '<Error><Code>Unclosed', parsed: {} },
  ])('reads $body', ({ body, parsed }) => {
    expect(parseS3Error(body)).toEqual(parsed);
  });
});
