/** Vitest global setup: one isolated store on free ports for the test run, stopped (by pid) afterwards. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type StoreInfo, startSwiftStore, stopSwiftStore } from '../../scripts/swiftStore.js';

declare module 'vitest' {
  export interface ProvidedContext {
    store: StoreInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = join(process.cwd(), '.store', `test-${process.pid}`);
  const store = await startSwiftStore({ dir, bucket: 'tessera-test' });
  project.provide('store', store);
  return async () => {
    await stopSwiftStore(dir);
    rmSync(dir, { recursive: true, force: true });
  };
}
