// A platform that retries a request (Retell: up to twice, after a timeout or
// an error) must get the first request's answer, and nothing done twice: no
// second text message, no second verification attempt counted. The writes
// are safe on their own (a call's caller_ref holds one hold, a retry key
// books once); this memo makes the answer the same too, and covers the tools
// whose effect is not a row (send_otp). A retry that arrives while the first
// request still runs waits for it rather than running again.
//
// Kept in this process: a retry reaching another instance of the server is
// still safe for every write, and may be answered as a second call would be
// (send_otp then answers that a code was just sent). Every answer is kept,
// a refusal too (a wrong code's otp_mismatch must not count a second
// attempt); a request that failed (a busy calendar, the database away: an
// error, answered 5xx) is not, so the retry runs afresh.
import type { Answer } from '../db/tenant-transaction';

interface Entry {
  answer: Promise<Answer>;
  expires: number;
}

export class RetryMemo {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 10 * 60 * 1000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The answer for key: the first request's when one ran or runs, else run()'s. */
  answer(key: string, run: () => Promise<Answer>): Promise<Answer> {
    const now = Date.now();
    const known = this.entries.get(key);
    if (known !== undefined && known.expires > now) return known.answer;
    this.evict(now);
    const answer = run();
    this.entries.set(key, { answer, expires: now + this.ttlMs });
    answer.catch(() => this.entries.delete(key));
    return answer;
  }

  get size(): number {
    return this.entries.size;
  }

  // Map keeps insertion order: the oldest go first, the expired with them.
  private evict(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expires > now && this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
