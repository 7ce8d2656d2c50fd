/** Counts of a hostile-request run, printed at its end: by route, status and code, replays, effects, time. */

const sorted = (map: Map<string, number>) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key} ${count}`)
    .join(', ');

const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

export class HostileTally {
  requests = 0;
  batches = 0;
  fixturesRemade = 0;
  storeOutages = 0;
  readonly byRoute = new Map<string, number>();
  readonly byStatus = new Map<string, number>();
  readonly byCode = new Map<string, number>();
  private readonly byRouteStatus = new Map<string, Map<string, number>>();
  private readonly msByRoute = new Map<string, number>();
  /** Requests with an upload's own token and owner after it was completed or aborted. */
  private readonly replays = new Map<string, number>();
  /** Successes that changed the store: uploads created, completed, aborted. */
  private readonly effects = new Map<string, number>();

  /** One answered (or unanswered: `status` null) request to `route`, after `ms` milliseconds. */
  answer(route: string, status: number | null, code: string | null, ms: number): void {
    const statusText = status === null ? 'no answer' : String(status);
    this.requests++;
    bump(this.byRoute, route);
    bump(this.byStatus, statusText);
    let statuses = this.byRouteStatus.get(route);
    if (!statuses) this.byRouteStatus.set(route, (statuses = new Map()));
    bump(statuses, statusText);
    bump(this.msByRoute, route, ms);
    if (code !== null) bump(this.byCode, code);
    if (code === 'store-error') this.storeOutages++;
  }

  replay(after: 'complete' | 'abort'): void {
    bump(this.replays, `after ${after}`);
  }

  effect(kind: 'created' | 'completed' | 'aborted'): void {
    bump(this.effects, kind);
  }

  summary(seconds: number, onErrorCalls: number, problems: number): string {
    const meanMs = [...this.msByRoute].map(([route, ms]) => `${route} ${(ms / (this.byRoute.get(route) ?? 1)).toFixed(1)}`);
    return [
      `hostile requests: ${this.requests} sent in ${seconds.toFixed(1)} s, ${this.batches} batches, ` +
        `${this.fixturesRemade} fixtures remade`,
      `  by route: ${sorted(this.byRoute)}`,
      `  by status: ${sorted(this.byStatus)}`,
      ...[...this.byRouteStatus].map(([route, statuses]) => `    ${route}: ${sorted(statuses)}`),
      `  by code: ${sorted(this.byCode)}`,
      `  mean ms by route: ${meanMs.join(', ')}`,
      `  replays: ${sorted(this.replays)}; successes that changed the store: ${sorted(this.effects)}`,
      `  store outages (502 store-error): ${this.storeOutages}; onError calls: ${onErrorCalls}; problems: ${problems}`,
    ].join('\n');
  }
}
