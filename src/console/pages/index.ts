import type { ConsolePage } from '../console-page.js';
import { approvalsPage } from './approvals.js';
import { deadLettersPage } from './dead-letters.js';
import { eventsPage } from './events.js';
import { healthPage } from './health.js';
import { mcpTokensPage } from './mcp-tokens.js';
import { runsPage } from './runs.js';

/**
 * The console's pages, in navigation order: the router serves each (and its item and action routes),
 * the navigation links each that is on, the live updates ask each what it shows. The first is the
 * console's home. A new page is its module and one line here.
 */
export const consolePages: readonly ConsolePage[] = [
  eventsPage,
  runsPage,
  approvalsPage,
  deadLettersPage,
  healthPage,
  mcpTokensPage,
];
