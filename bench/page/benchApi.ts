/** Calls to the bench app's own routes (same origin). */
import type { BenchConfig } from './pageTypes.js';

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

let config: Promise<BenchConfig> | undefined;

/** The handler's endpoint, the part size and the store, fetched once per page load. */
export function benchConfig(): Promise<BenchConfig> {
  config ??= fetch('/bench/config').then((response) => response.json() as Promise<BenchConfig>);
  return config;
}
