/**
 * What a refusal of the upload handler must look like, checked answer by answer: a 4xx (or a declared
 * store outage, 502 `store-error`), `{ error: { code, message, field?, retryable? } }` and nothing else,
 * a `code` the server answers with, at the status the protocol gives that code, and `field` naming the
 * field to blame wherever one is.
 */
import type { TesseraErrorCode } from '@tessera/core';

/** Every code the server answers with, and its status (README, "Errors"). */
export const STATUS_OF_CODE = {
  'invalid-request': 400,
  'invalid-json': 400,
  'invalid-field': 400,
  unauthenticated: 401,
  'token-missing': 401,
  forbidden: 403,
  'token-invalid': 403,
  'token-expired': 403,
  'token-mismatch': 403,
  'upload-not-found': 404,
  'not-found': 404,
  'method-not-allowed': 405,
  'request-timeout': 408,
  'upload-completed': 409,
  'upload-busy': 409,
  'parts-missing': 409,
  'parts-unexpected': 409,
  'etag-mismatch': 409,
  'size-mismatch': 409,
  'checksum-mismatch': 409,
  'body-too-large': 413,
  'file-too-large': 413,
  'type-not-allowed': 415,
  'unsupported-media-type': 415,
  'invalid-file-name': 422,
  'file-too-small': 422,
  'part-out-of-range': 422,
  'part-size-mismatch': 422,
  'part-size-too-small': 422,
  'batch-too-large': 422,
  'too-many-parts': 422,
  'unknown-size-not-allowed': 422,
  'client-closed': 499,
  'internal-error': 500,
  'hook-failed': 500,
  'store-error': 502,
  'integrity-mismatch': 502,
} as const satisfies Partial<Record<TesseraErrorCode, number>>;

export type ServerErrorCode = keyof typeof STATUS_OF_CODE;
export const SERVER_ERROR_CODES = Object.keys(STATUS_OF_CODE) as ServerErrorCode[];

/** The field each code must name: always one field is to blame for these. */
const FIELD_OF_CODE: Partial<Record<ServerErrorCode, RegExp>> = {
  'token-missing': /^x-tessera-upload-token$/,
  'token-mismatch': /^uploadId$/,
  'invalid-file-name': /^fileName$/,
  'type-not-allowed': /^contentType$/,
  'file-too-large': /^size$/,
  'file-too-small': /^size$/,
  'unknown-size-not-allowed': /^size$/,
  'checksum-mismatch': /^sha256$/,
  'batch-too-large': /^parts$/,
  'too-many-parts': /^parts$/,
  'part-out-of-range': /^parts\.\d+\.partNumber$/,
  'part-size-mismatch': /^parts\.\d+\.size$/,
  'part-size-too-small': /^parts\.\d+\.size$/,
  'etag-mismatch': /^parts\.\d+\.etag$/,
  'size-mismatch': /^(size|parts\.\d+)$/,
  'parts-missing': /^parts(\.\d+)?$/,
  'invalid-field': /./,
};

/** Every field a request has: the body's, the upload id in the path, the token header. */
const FIELD =
  /^(fileName|contentType|size|sha256|uploadId|x-tessera-upload-token|parts(\.\d+(\.(partNumber|size|checksum|etag))?)?)$/;

/** What was sent, as far as judging the answer needs. */
export interface SentRequest {
  method: string;
  /** The JSON body was an object (a field can be to blame), as opposed to none, another value, or not JSON. */
  bodyIsObject: boolean;
  /** Length of the body's `parts` array, when it had one. */
  partsLength: number | null;
  /** Fields of a create body drawn from the valid pool: a refusal must not blame them. */
  intactFields: readonly string[];
}

export interface ErrorBody {
  code: ServerErrorCode;
  message: string;
  field?: string;
  retryable?: boolean;
}

/** What is wrong with the error answer `text` at `status` (an empty list when nothing is), and its error. */
export function errorAnswerProblems(
  status: number,
  contentType: string | null,
  text: string,
  sent: SentRequest,
): { problems: string[]; error: ErrorBody | null } {
  const problems: string[] = [];
  if (!/^application\/json\b/.test(contentType ?? '')) problems.push(`content-type is ${contentType}, not JSON`);
  // A HEAD answer carries no body; its status and type are all there is to judge.
  if (sent.method === 'HEAD') return { problems, error: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push(`the body is not JSON: ${text.slice(0, 200)}`);
    return { problems, error: null };
  }
  const envelope = parsed as { error?: Record<string, unknown> } | null;
  const error = envelope?.error;
  const isEnvelope = typeof parsed === 'object' && parsed !== null && Object.keys(parsed).join() === 'error';
  if (!isEnvelope || typeof error !== 'object' || error === null) {
    problems.push(`the body is not { error }: ${text.slice(0, 200)}`);
    return { problems, error: null };
  }
  const extra = Object.keys(error).filter((name) => !['code', 'message', 'field', 'retryable'].includes(name));
  if (extra.length > 0) problems.push(`error has unexpected keys ${extra.join(', ')}`);
  const code = error.code as ServerErrorCode;
  if (!SERVER_ERROR_CODES.includes(code)) {
    problems.push(`unknown code ${JSON.stringify(error.code)}`);
    return { problems, error: null };
  }
  if (STATUS_OF_CODE[code] !== status) problems.push(`${code} answered with ${status}, not ${STATUS_OF_CODE[code]}`);
  if (status >= 500 && code !== 'store-error') problems.push(`a server failure: ${status} ${code}`);
  if (typeof error.message !== 'string' || error.message.length === 0) problems.push('message is not a non-empty string');
  if (error.retryable !== undefined && typeof error.retryable !== 'boolean') problems.push('retryable is not a boolean');
  const field = error.field;
  if (field !== undefined) {
    if (typeof field !== 'string' || !FIELD.test(field)) {
      problems.push(`field ${JSON.stringify(field)} names no field of the request`);
    } else {
      const index = /^parts\.(\d+)/.exec(field)?.[1];
      if (index !== undefined && (sent.partsLength === null || Number(index) >= sent.partsLength)) {
        problems.push(`field ${field} names a part the request did not list (${sent.partsLength ?? 'no'} parts)`);
      }
      if (sent.intactFields.includes(field)) problems.push(`field ${field} is to blame, but its value was valid`);
    }
  }
  const rule = FIELD_OF_CODE[code];
  // `invalid-field` names no field only for a body that is not an object: nothing in it can be to blame.
  const fieldNeeded = rule !== undefined && (code !== 'invalid-field' || sent.bodyIsObject);
  if (fieldNeeded && field === undefined) problems.push(`${code} without the field to blame`);
  if (rule !== undefined && typeof field === 'string' && !rule.test(field)) problems.push(`${code} blames ${field}`);
  return { problems, error: error as unknown as ErrorBody };
}
