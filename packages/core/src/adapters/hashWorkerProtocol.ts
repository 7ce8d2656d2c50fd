import { isTesseraError, type TesseraErrorCode } from '../errors.js';
import type { PartHash } from '../ports.js';
import { hashBlob, type HashBlobInput } from './hashBlob.js';

/** A message to the hash worker: hash one part. */
export interface HashWorkerRequest extends HashBlobInput {
  /** Echoed in the answer. */
  id: number;
}

/** The hash worker's answer: the part's hash, or why there is none. */
export type HashWorkerResponse =
  | { id: number; result: PartHash }
  | { id: number; error: { code: TesseraErrorCode; message: string } };

/**
 * Answer one {@link HashWorkerRequest} with {@link hashBlob}; never rejects. Errors travel as plain
 * `{ code, message }` (structured clone drops a `TesseraError`'s class and code); any error other than a
 * `TesseraError` becomes `internal-error`.
 *
 * @example
 * ```ts
 * self.addEventListener('message', async (event) => self.postMessage(await answerHashRequest(event.data)));
 * ```
 */
export async function answerHashRequest(request: HashWorkerRequest): Promise<HashWorkerResponse> {
  const { id, blob, algorithm, sha256State } = request;
  try {
    const input: HashBlobInput = { blob };
    if (algorithm !== undefined) input.algorithm = algorithm;
    if (sha256State !== undefined) input.sha256State = sha256State;
    return { id, result: await hashBlob(input) };
  } catch (error) {
    const code = isTesseraError(error) ? error.code : 'internal-error';
    return { id, error: { code, message: error instanceof Error ? error.message : String(error) } };
  }
}
