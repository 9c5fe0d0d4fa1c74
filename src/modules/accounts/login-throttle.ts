import { AppError } from "../../platform/errors";

/**
 * Failed sign-ins per client address in a sliding minute. @fastify/rate-limit counts every
 * request; this counts only failures, so a whole office behind one address can sign in at nine
 * while someone trying many accounts from one address is stopped. In memory, per process.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 while this address has too many recent failures. */
  check(address: string): void {
    const recent = this.recent(address);
    if (recent.length >= this.maxPerMinute) {
      const wait = Math.max(1, Math.ceil((recent[0] + 60_000 - this.now()) / 1000));
      throw new AppError("rate_limited", `Too many failed sign-ins from this address; try again in ${wait} s`);
    }
  }

  /** Records a failed attempt. */
  fail(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    this.failures.set(address, recent);
    if (this.failures.size > 10_000) this.prune();
  }

  private recent(address: string): number[] {
    const since = this.now() - 60_000;
    return (this.failures.get(address) ?? []).filter((t) => t > since);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) if (this.recent(key).length === 0) this.failures.delete(key);
  }
}
