/**
 * Vitest global setup: one isolated store on free ports for the whole test run, shared by every project
 * that lists this file (a full run loads it once per project in one process), stopped by pid at the end.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type StoreInfo, startSwiftStore, stopSwiftStore } from '../../scripts/swiftStore.js';

declare module 'vitest' {
  export interface ProvidedContext {
    store: StoreInfo;
  }
}

interface SharedStore {
  dir: string;
  started: Promise<StoreInfo>;
  users: number;
}

const holder = globalThis as typeof globalThis & { tesseraTestStore?: SharedStore };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  holder.tesseraTestStore ??= (() => {
    const dir = join(process.cwd(), '.store', `test-${process.pid}`);
    return { dir, started: startSwiftStore({ dir, bucket: 'tessera-test' }), users: 0 };
  })();
  const shared = holder.tesseraTestStore;
  shared.users++;
  project.provide('store', await shared.started);
  return async () => {
    shared.users--;
    if (shared.users > 0) return;
    holder.tesseraTestStore = undefined;
    await stopSwiftStore(shared.dir);
    rmSync(shared.dir, { recursive: true, force: true });
  };
}
