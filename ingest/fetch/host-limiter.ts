import { defaultSleep } from '../../src/util/retry.ts';

/**
 * Per-host politeness: at most `concurrency` requests in flight to one host, and request starts
 * spaced by `intervalMs` (1 / --rate). A host can ask for more room (robots.txt Crawl-delay, a
 * 429's Retry-After); other hosts are never held up by a slow one.
 */
export interface HostLimiterOptions {
  concurrency: number;
  intervalMs: number;
  /** Injected so tests don't sleep. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

interface HostState {
  active: number;
  nextStart: number;
  intervalMs: number;
  waiting: Array<() => void>;
}


export class HostLimiter {
  private readonly hosts = new Map<string, HostState>();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: HostLimiterOptions) {
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  /** Runs `fn` when `host` has a free slot and its spacing allows. */
  async run<T>(host: string, fn: () => Promise<T>): Promise<T> {
    const state = this.state(host);
    while (state.active >= this.options.concurrency) await new Promise<void>((resolve) => state.waiting.push(resolve));
    state.active++;
    try {
      const now = this.now();
      const start = Math.max(now, state.nextStart);
      state.nextStart = start + state.intervalMs;
      if (start > now) await this.sleep(start - now);
      return await fn();
    } finally {
      state.active--;
      state.waiting.shift()?.();
    }
  }

  /** Spacing for one host when it asks for more than the default (never less). */
  slowDown(host: string, intervalMs: number): void {
    const state = this.state(host);
    state.intervalMs = Math.max(state.intervalMs, intervalMs);
  }

  /** No request to `host` starts before `ms` from now (a 429 asked us to back off). */
  pause(host: string, ms: number): void {
    const state = this.state(host);
    state.nextStart = Math.max(state.nextStart, this.now() + ms);
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, nextStart: 0, intervalMs: this.options.intervalMs, waiting: [] };
      this.hosts.set(host, state);
    }
    return state;
  }
}
