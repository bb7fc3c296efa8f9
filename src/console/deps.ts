import type { Approvals } from '../agents/approvals.js';
import type { Audit } from '../agents/audit.js';
import type { Bus } from '../bus/port.js';
import type { Logger } from '../observability/logger.js';
import type { ArrivalsLog } from './arrivals.js';
import type { HealthReport } from './health.js';

/** What the console reads and acts on. Built by the composition root (main.ts). */
export interface ConsoleDeps {
  /** The console is on only when this is set (`ADMIN_TOKEN`). */
  adminToken: string;
  audit: Audit;
  arrivals: ArrivalsLog;
  bus: Pick<Bus, 'kind' | 'listDeadLetters' | 'redrive'>;
  /** Absent on an ingress-only process (no Wix client there): approvals are shown, not decided. */
  approvals?: Approvals | undefined;
  /** Readiness, backlog, limiter and counters for the health page. */
  health(): Promise<HealthReport>;
  logger: Logger;
  /** Session length. Default 12 hours. */
  sessionTtlMs?: number;
  /** Seconds between the page's checks for changes (live updates). Default 2. */
  pollSeconds?: number;
}
