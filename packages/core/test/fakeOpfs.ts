/**
 * OPFS and Web Locks in memory, for the recording stores and what a reloaded page finds: entries created on
 * `create`, swap-file writes committed on `close`, NotFoundError after removal; locks held per "browser".
 */
import type { OpfsDirectory, OpfsFile, OpfsWritable } from '../src/recording/opfsRecordingStore.js';
import type { RecordingLocks } from '../src/recording/recordingLock.js';

const notFound = (name: string) => new DOMException(`${name} not found`, 'NotFoundError');

export class FakeOpfsFile implements OpfsFile {
  data = new Blob([]);
  constructor(private readonly parent: FakeOpfsDirectory) {}

  async getFile(): Promise<File> {
    this.parent.checkPresent();
    return new File([this.data], 'chunk');
  }

  async createWritable(): Promise<OpfsWritable> {
    this.parent.checkPresent();
    let swap = new Blob([]);
    return {
      write: async (data) => void (swap = new Blob([swap, data])),
      close: async () => {
        if (this.parent.quotaExceeded) throw new DOMException('quota', 'QuotaExceededError');
        this.data = swap;
      },
      abort: async () => undefined,
    };
  }
}

/** OPFS in memory: entries created on `create`, swap-file writes committed on `close`, NotFoundError after removal. */
export class FakeOpfsDirectory implements OpfsDirectory {
  readonly entries = new Map<string, FakeOpfsFile | FakeOpfsDirectory>();
  removed = false;
  quotaExceeded = false;

  checkPresent(): void {
    if (this.removed) throw notFound('directory');
  }

  async getDirectoryHandle(name: string, options: { create?: boolean } = {}): Promise<FakeOpfsDirectory> {
    this.checkPresent();
    const entry = this.entries.get(name) ?? (options.create ? new FakeOpfsDirectory() : undefined);
    if (!(entry instanceof FakeOpfsDirectory)) throw notFound(name);
    this.entries.set(name, entry);
    return entry;
  }

  async getFileHandle(name: string, options: { create?: boolean } = {}): Promise<FakeOpfsFile> {
    this.checkPresent();
    const entry = this.entries.get(name) ?? (options.create ? new FakeOpfsFile(this) : undefined);
    if (!(entry instanceof FakeOpfsFile)) throw notFound(name);
    this.entries.set(name, entry);
    return entry;
  }

  async removeEntry(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (entry === undefined) throw notFound(name);
    if (entry instanceof FakeOpfsDirectory) entry.removed = true;
    this.entries.delete(name);
  }

  async *keys(): AsyncIterable<string> {
    this.checkPresent();
    yield* [...this.entries.keys()];
  }
}

/** Web Locks in memory; `held` is what every page holds. */
export function fakeLocks() {
  const held = new Set<string>();
  const locks: RecordingLocks = {
    async request(name, _options, callback) {
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
    query: async () => ({ held: [...held].map((name) => ({ name })) }),
  };
  return { held, locks };
}

