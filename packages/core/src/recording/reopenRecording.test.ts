import { describe, expect, it } from 'vitest';
import { isTesseraError } from '../errors.js';
import { openRecordingBuffer } from './recordingBuffer.js';
import { reopenRecording } from './reopenRecording.js';

const info = { name: 'take.webm', type: 'video/webm' };

async function recorded(id: string, text: string) {
  const buffer = await openRecordingBuffer(id, { storage: 'memory' });
  await buffer.append(new Blob([text]));
  return buffer;
}

describe('reopenRecording', () => {
  it('gives the stored bytes as an ended source: the recorder died with its page', async () => {
    await recorded('reopened', 'stored bytes');
    const source = await reopenRecording('reopened', info, { storage: 'memory' });
    expect(source).toMatchObject({ id: 'reopened', ...info, size: 12, ended: true });
    expect(await (await source.slice(7, 12)).text()).toBe('bytes');
    await source.discard();
  });

  it('leaves the recording open when told', async () => {
    const buffer = await recorded('still-recording', 'abc');
    const source = await reopenRecording('still-recording', info, { storage: 'memory', markEnded: false });
    expect(source.ended).toBe(false);
    await buffer.append(new Blob(['d']));
    expect(source.size).toBe(4);
    await source.discard();
  });

  it('rejects with not-found, creating nothing, when no recording has the id', async () => {
    const error: unknown = await reopenRecording('gone', info, { storage: 'memory' }).catch((reason: unknown) => reason);
    expect(isTesseraError(error, 'not-found')).toBe(true);
  });
});
