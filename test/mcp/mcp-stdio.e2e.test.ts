import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  EMULATOR_INSTANCES,
  SEED_IDS,
  startWixEmulator,
  type WixEmulator,
} from '../../src/sandbox/wix-emulator.js';
import { repoRoot, runCli } from '../support/cli.js';
import { POSTGRES_URL, describeIfServer, reachable } from '../support/servers.js';

// The CLI runs in child processes; a shared Postgres schema keeps each start fast (an embedded store
// would initialise a database in every process).
const pgUrl = new URL(POSTGRES_URL);
const available = await reachable(pgUrl.hostname, Number(pgUrl.port || 5432));
const coffee = EMULATOR_INSTANCES.coffee;

describeIfServer(available, `Postgres at ${pgUrl.host}`)('CLI: mcp-tokens and the stdio MCP server', () => {
  let wix: WixEmulator;
  let env: Record<string, string>;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    await c.query(sql);
    await c.end();
  };

  beforeAll(async () => {
    wix = await startWixEmulator({ rateLimit: false });
    await admin(`CREATE SCHEMA ${schema}`);
    const scoped = new URL(POSTGRES_URL);
    scoped.searchParams.set('options', `-c search_path=${schema}`);
    env = {
      DATABASE_URL: scoped.toString(),
      WIX_API_BASE_URL: wix.url,
      WIX_APP_ID: wix.appId,
      WIX_APP_SECRET: wix.appSecret,
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    await wix?.close();
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('creates a token (secret shown once), serves its tools over stdio, and refuses it once revoked', async () => {
    const created = await runCli(
      ['mcp-tokens', 'create', '--name', 'desktop', '--site', coffee, '--tag', 'orders', '--methods', 'read'],
      { env },
    );
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const secret = /^(wea_\S+)$/m.exec(created.stdout)?.[1];
    expect(secret).toBeDefined();
    const listed = await runCli(['mcp-tokens', 'list'], { env });
    expect(listed.stdout).toMatch(/desktop\s+live/);
    expect(listed.stdout).not.toContain(secret!);

    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/cli/index.ts', 'mcp'],
      cwd: repoRoot,
      env: { ...(process.env as Record<string, string>), ...env, WIX_MCP_TOKEN: secret! },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'desktop-test', version: '1.0.0' });
    await client.connect(transport);
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(tools).toEqual(['get_order', 'search_orders']);
    const result = (await client.callTool({
      name: 'get_order',
      arguments: { orderId: SEED_IDS.coffee.orders.priyaNew },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(JSON.parse((result.content[0] as { text: string }).text)).toMatchObject({ number: '10013' });
    await client.close();

    const revoked = await runCli(['mcp-tokens', 'revoke', 'desktop'], { env });
    expect(revoked.stdout).toMatch(/desktop\s+revoked/);
    const refused = await runCli(['mcp'], { env: { ...env, WIX_MCP_TOKEN: secret } });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('MCP token revoked');
  }, 240_000);

  it('refuses a token whose filters match no tool', async () => {
    const out = await runCli(
      [
        'mcp-tokens',
        'create',
        '--name',
        'empty',
        '--site',
        coffee,
        '--tool',
        'get_order',
        '--methods',
        'write',
      ],
      { env },
    );
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/match no tool/);
  }, 120_000);
});
