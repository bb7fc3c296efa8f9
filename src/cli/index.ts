#!/usr/bin/env node
/**
 * `wix-event-agent`: one file per command group, each registering its commands here. Commands call
 * src/app/ for every part they open (the composition root), never an adapter directly.
 */
import { Command } from 'commander';
import { registerApprovals } from './approvals.js';
import { failAtStart, packageVersion } from './context.js';
import { registerDemo } from './demo.js';
import { registerDlq } from './dlq.js';
import { registerKafka } from './kafka.js';
import { registerMcp } from './mcp.js';
import { registerReplay } from './replay.js';
import { registerRuns } from './runs.js';
import { registerServe } from './serve.js';

const program = new Command()
  .name('wix-event-agent')
  .description('Verified Wix webhooks → durable bus → least-privilege LLM agents')
  .version(packageVersion(), '-V, --version')
  .showHelpAfterError();

for (const register of [
  registerServe,
  registerReplay,
  registerKafka,
  registerDlq,
  registerDemo,
  registerRuns,
  registerApprovals,
  registerMcp,
]) {
  register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  failAtStart(error);
}
