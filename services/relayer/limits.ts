// Token buckets, one per key (a customer's address, a client's IP): up to `burst` requests at once, refilled at
// `perMinute`. In memory: a restart forgets them, which only ever lets a client in sooner.
import type { RateLimit } from "./config.js";

type Bucket = { tokens: number; at: number };

/** Buckets kept before full ones (idle keys) are dropped. */
const PRUNE_ABOVE = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(private readonly limit: RateLimit) {
    this.perMs = limit.perMinute / 60_000;
  }

  private refilled(bucket: Bucket, now: number): number {
    return Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * this.perMs);
  }

  /** Takes one token for `key`: 0 when allowed, else the whole seconds until one is there. */
  take(key: string, now = Date.now()): number {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    const tokens = this.refilled(bucket, now);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000));
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > PRUNE_ABOVE) this.prune(now);
    return 0;
  }

  /** Gives back a token taken for a request that turned out not to need one. */
  giveBack(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.limit.burst, bucket.tokens + 1);
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.refilled(bucket, now) >= this.limit.burst) this.buckets.delete(key);
    }
  }
}
