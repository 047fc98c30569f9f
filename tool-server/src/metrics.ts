// Prometheus text exposition of what operators watch: answers by tool and
// outcome, latency per tool, SMS sends, and the database pool's use.
// Labels carry tool names and outcome codes only (bounded sets), never a
// tenant, a phone or an id.
import type { Pool } from 'pg';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[]; // per bucket, not cumulative
  sum: number;
  count: number;
}

// An outcome label is an answer's error code; anything unexpected is folded
// so a misbehaving caller cannot grow the label set.
function outcomeLabel(outcome: string): string {
  return /^[a-z][a-z0-9_]{0,39}$/.test(outcome) ? outcome : 'other';
}

function escape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly sms = new Map<string, number>();

  constructor(private readonly pool?: Pool) {}

  observe(tool: string, outcome: string, seconds: number): void {
    const key = `${tool}\u0000${outcomeLabel(outcome)}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(tool);
    if (!h) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latency.set(tool, h);
    }
    const i = BUCKETS.findIndex((b) => seconds <= b);
    if (i >= 0) h.counts[i] = (h.counts[i] ?? 0) + 1;
    h.sum += seconds;
    h.count += 1;
  }

  smsResult(provider: string, result: 'sent' | 'failed'): void {
    const key = `${provider}\u0000${result}`;
    this.sms.set(key, (this.sms.get(key) ?? 0) + 1);
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP booking_tool_requests_total Tool answers by tool and outcome (success or the error code).');
    out.push('# TYPE booking_tool_requests_total counter');
    for (const [key, n] of [...this.requests].sort()) {
      const [tool = '', outcome = ''] = key.split('\u0000');
      out.push(`booking_tool_requests_total{tool="${escape(tool)}",outcome="${escape(outcome)}"} ${n}`);
    }
    out.push('# HELP booking_tool_request_duration_seconds Time from request to answer, per tool.');
    out.push('# TYPE booking_tool_request_duration_seconds histogram');
    for (const [tool, h] of [...this.latency].sort(([a], [b]) => a.localeCompare(b))) {
      const t = escape(tool);
      let cumulative = 0;
      BUCKETS.forEach((b, i) => {
        cumulative += h.counts[i] ?? 0;
        out.push(`booking_tool_request_duration_seconds_bucket{tool="${t}",le="${b}"} ${cumulative}`);
      });
      out.push(`booking_tool_request_duration_seconds_bucket{tool="${t}",le="+Inf"} ${h.count}`);
      out.push(`booking_tool_request_duration_seconds_sum{tool="${t}"} ${h.sum}`);
      out.push(`booking_tool_request_duration_seconds_count{tool="${t}"} ${h.count}`);
    }
    out.push('# HELP booking_tool_sms_total SMS sends by provider and result.');
    out.push('# TYPE booking_tool_sms_total counter');
    for (const [key, n] of [...this.sms].sort()) {
      const [provider = '', result = ''] = key.split('\u0000');
      out.push(`booking_tool_sms_total{provider="${escape(provider)}",result="${escape(result)}"} ${n}`);
    }
    if (this.pool) {
      const p = this.pool;
      out.push('# HELP booking_tool_db_pool_connections Database connections of the pool by state.');
      out.push('# TYPE booking_tool_db_pool_connections gauge');
      out.push(`booking_tool_db_pool_connections{state="total"} ${p.totalCount}`);
      out.push(`booking_tool_db_pool_connections{state="idle"} ${p.idleCount}`);
      out.push(`booking_tool_db_pool_connections{state="in_use"} ${p.totalCount - p.idleCount}`);
      out.push('# HELP booking_tool_db_pool_waiting Requests waiting for a database connection.');
      out.push('# TYPE booking_tool_db_pool_waiting gauge');
      out.push(`booking_tool_db_pool_waiting ${p.waitingCount}`);
      out.push('# HELP booking_tool_db_pool_max The pool\'s connection limit (DB_POOL_MAX).');
      out.push('# TYPE booking_tool_db_pool_max gauge');
      out.push(`booking_tool_db_pool_max ${p.options.max ?? 10}`);
    }
    return `${out.join('\n')}\n`;
  }
}
