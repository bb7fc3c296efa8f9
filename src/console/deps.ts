import type { Approvals } from '../calls/approvals.js';
import type { Audit } from '../calls/audit.js';
import type { Bus } from '../bus/port.js';
import type { Logger } from '../observability/logger.js';
import type { ArrivalsLog } from './arrivals.js';
import type { HealthReport } from './health.js';

/** An MCP token as the console shows it (the MCP token store's record, without its secret). */
export interface McpTokenView {
  id: string;
  name: string;
  /** The secret's first characters. */
  hint: string;
  methods: readonly string[];
  tags: readonly string[];
  tools: readonly string[];
  sites: readonly string[];
  mode: string;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/**
 * What the console needs of the MCP token store (src/mcp/tokens.ts satisfies it). `create` validates
 * its input and throws an error with a 4xx `status` and a readable message when it is wrong.
 */
export interface McpTokenAdmin {
  list(options?: { includeRevoked?: boolean }): Promise<McpTokenView[]>;
  create(input: unknown): Promise<{ token: McpTokenView; secret: string }>;
  revoke(idOrName: string): Promise<McpTokenView | undefined>;
}

/** What the console reads and acts on. Built by the composition root (main.ts). */
export interface ConsoleDeps {
  /** The console is on only when this is set (`ADMIN_TOKEN`). */
  adminToken: string;
  audit: Audit;
  arrivals: ArrivalsLog;
  bus: Pick<Bus, 'kind' | 'listDeadLetters' | 'redrive'>;
  /** Absent on an ingress-only process (no Wix client there): approvals are shown, not decided. */
  approvals?: Approvals | undefined;
  /** MCP tokens (create, list, revoke), where the service runs an MCP server. */
  mcpTokens?: McpTokenAdmin | undefined;
  /** Readiness, backlog, limiter and counters for the health page. */
  health(): Promise<HealthReport>;
  logger: Logger;
  /** Session length. Default 12 hours. */
  sessionTtlMs?: number;
  /** Seconds between the page's checks for changes (live updates). Default 2. */
  pollSeconds?: number;
}
