/**
 * The CLI's parts are built by the service's own builders (src/app/commands.ts): MCP over stdio and
 * the CLI's approvals get the same call path, logger and metrics as the service's HTTP MCP server and
 * its workers. (Stdio MCP calls were once neither counted nor logged: built by a second assembly.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpStdioDeps, withCalls, withTokens } from '../../src/app/commands.js';
import { startWixEmulator, type WixEmulator } from '../../src/app/sandbox.js';
import { loadConfig, type Config } from '../../src/config/load.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createLogger } from '../../src/observability/logger.js';
import { createRegistry } from '../../src/observability/metrics.js';
import { EMULATOR_INSTANCES, SEED_IDS } from '../../src/sandbox/wix-emulator.js';
import { logSink } from '../support/service.js';

let wix: WixEmulator;
let config: Config;
const dir = mkdtempSync(join(tmpdir(), 'wix-event-agent-commands-'));
beforeAll(async () => {
  wix = await startWixEmulator({ rateLimit: false });
  config = loadConfig({
    DATA_DIR: join(dir, 'data'),
    WIX_API_BASE_URL: wix.url,
    WIX_APP_ID: wix.appId,
    WIX_APP_SECRET: wix.appSecret,
  });
});
afterAll(async () => {
  await wix?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('MCP over stdio, as the CLI builds it', () => {
  it('counts each call in wix_agent_tool_calls_total and logs it, like the HTTP server', async () => {
    const created = await withTokens(config, (t) =>
      t.create({
        name: 'desk',
        sites: [EMULATOR_INSTANCES.coffee],
        methods: ['read'],
        tags: ['orders'],
        mode: 'live',
      }),
    );
    const sink = logSink();
    const logger = createLogger({ level: 'info', destination: sink.destination });
    const registry = createRegistry({ defaultMetrics: false });
    const answer = await withCalls(
      config,
      { logger, handlers: [], registry, mustExist: false },
      async (calls, more) => {
        const deps = mcpStdioDeps(config, calls, { ...more, logger });
        const auth = await deps.tokens.authenticate(created.secret);
        if ('failure' in auth) throw new Error(auth.failure);
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        const server = createMcpServer(deps, auth.token);
        await server.connect(serverSide);
        const client = new Client({ name: 'test', version: '1' });
        await client.connect(clientSide);
        try {
          return await client.callTool({
            name: 'get_order',
            arguments: { orderId: SEED_IDS.coffee.orders.janeLatest },
          });
        } finally {
          await client.close();
        }
      },
    );
    expect(answer).not.toHaveProperty('isError', true);
    expect(JSON.stringify(answer)).toContain('10005');
    expect(await registry.getSingleMetricAsString('wix_agent_tool_calls_total')).toMatch(
      /wix_agent_tool_calls_total\{tool="get_order",status="executed"\} 1/,
    );
    expect(sink.records()).toContainEqual(
      expect.objectContaining({
        msg: 'mcp tool call',
        tool: 'get_order',
        actor: 'mcp:desk',
        status: 'succeeded',
      }),
    );
  });
});
