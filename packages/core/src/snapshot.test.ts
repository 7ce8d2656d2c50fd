import type { SnapshotFrom } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createProgress, recordPartProgress } from './logic/progress.js';
import type { uploadMachine } from './machines/uploadMachine.js';
import { newPart, type PartRecord } from './session.js';
import { toUploadSnapshot, uploadStatusOf } from './snapshot.js';

type MachineSnapshot = SnapshotFrom<typeof uploadMachine>;

// Only what toUploadSnapshot reads of the machine's snapshot.
function machineSnapshot(value: MachineSnapshot['value'], parts: PartRecord[], progress = createProgress(30)): MachineSnapshot {
  const context = {
    id: 'u1',
    source: { name: 'a.bin', size: 30 },
    upload: null,
    progress,
    parts,
    error: null,
    result: null,
  };
  return { value, context } as unknown as MachineSnapshot;
}

const uploading = { uploading: { hashing: 'idle', folding: 'idle', signing: 'idle', dispatch: {} } } as unknown as MachineSnapshot['value'];

describe('toUploadSnapshot', () => {
  const parts = [newPart(1, 10), newPart(2, 10), newPart(3, 10)];

  it('reads the status of a parallel state off its top-level name', () => {
    expect(uploadStatusOf(machineSnapshot(uploading, parts))).toBe('uploading');
    expect(uploadStatusOf(machineSnapshot('paused', parts))).toBe('paused');
    expect(toUploadSnapshot(machineSnapshot('completed', parts), 0).status).toBe('completed');
  });

  it('gives each part its display fields only', () => {
    const [first] = toUploadSnapshot(machineSnapshot(uploading, parts), 0).parts;
    expect(first).toStrictEqual({ partNumber: 1, size: 10, status: 'queued', attempt: 0, reason: null, retryAt: null });
  });

  it('keeps the same part list while only progress changes (no garbage per progress event)', () => {
    const before = toUploadSnapshot(machineSnapshot(uploading, parts), 0);
    const progressed = recordPartProgress(createProgress(30), 1, 5, 10);
    const after = toUploadSnapshot(machineSnapshot(uploading, parts, progressed), 10);
    expect(after.progress.uploadedBytes).toBe(5);
    expect(after.parts).toBe(before.parts);
  });

  it('builds a view again only for the part that changed', () => {
    const before = toUploadSnapshot(machineSnapshot(uploading, parts), 0);
    const changed = parts.map((part) => (part.partNumber === 2 ? { ...part, status: 'uploading' as const, attempt: 1 } : part));
    const after = toUploadSnapshot(machineSnapshot(uploading, changed), 0);
    expect(after.parts).not.toBe(before.parts);
    expect(after.parts[0]).toBe(before.parts[0]);
    expect(after.parts[2]).toBe(before.parts[2]);
    expect(after.parts[1]).toMatchObject({ partNumber: 2, status: 'uploading', attempt: 1 });
    expect(before.parts[1]?.status).toBe('queued');
  });
});
