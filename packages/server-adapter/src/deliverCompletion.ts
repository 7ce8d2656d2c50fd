import { TesseraError } from '@tessera/core';
import type { HandlerContext } from './context.js';
import type { CompletionIntent, UploadIntents } from './intents.js';
import type { CompletedUpload } from './types.js';

/** How long a complete waits for another request's `onComplete` before it runs the hook itself. */
export const DELIVERY_WAIT_MS = 30_000;
const POLL_MS = 200;

/**
 * Run `onComplete` for an assembled upload unless it is known to have run: at least once, and once in the
 * usual case even when several completes race. The completion record names the request delivering the
 * hook (its `claimant`); the record disappears only after a hook returned. So:
 *
 * - no record: an earlier run succeeded, nothing to do;
 * - the record is this request's: run the hook, then delete the record; if the hook throws, release the
 *   record (`claimant: ''`) so the next complete runs it at once, and answer `hook-failed` (retryable);
 * - another request's fresh claim: wait until its record disappears (then answer as it did), or take the
 *   claim over when that request released it or has not finished within {@link DELIVERY_WAIT_MS}.
 */
export async function deliverCompletion(
  context: HandlerContext,
  intents: UploadIntents<CompletedUpload>,
  mine: CompletionIntent<CompletedUpload>,
): Promise<void> {
  const started = context.now();
  let renewed = false;
  for (;;) {
    const found = await intents.readDelivery();
    if (found === null) return;
    const { intent, ageMs } = found;
    if (intent.claimant !== mine.claimant) {
      const waited = context.now() - started;
      if (intent.claimant !== '' && ageMs < DELIVERY_WAIT_MS && waited < DELIVERY_WAIT_MS) {
        await context.sleep(POLL_MS);
      } else {
        await intents.writeDelivery(mine);
        renewed = true;
      }
      continue;
    }
    // A claim written long ago (before a slow assembly) is renewed once, so nobody takes it over mid-hook.
    if (!renewed && ageMs > DELIVERY_WAIT_MS / 3) {
      await intents.writeDelivery(mine);
      renewed = true;
      continue;
    }
    try {
      await context.onComplete?.(mine.event);
    } catch (cause) {
      await intents.writeDelivery({ ...mine, claimant: '' }).catch(context.report);
      throw new TesseraError('hook-failed', 'the upload is stored but could not be recorded; complete it again', {
        retryable: true,
        cause,
      });
    }
    await intents.deleteDelivery().catch(context.report);
    return;
  }
}
