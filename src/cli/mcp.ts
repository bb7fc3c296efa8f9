/** CLI commands of the MCP room: `mcp` (stdio server) and `mcp-tokens create|list|revoke`. */
import { Option, type Command } from 'commander';
import { createAudit } from '../calls/audit.js';
import { createJournal, newWriteOwner } from '../calls/journal.js';
import type { Config } from '../config/load.js';
import type { WixConnection } from '../app/agents.js';
import type { Store } from '../store/port.js';
import type { AnyWixTool } from '../wix/tools/tool.js';
import { createTokenStore, type McpToken } from '../mcp/tokens.js';

export interface McpCliDeps {
  config(): Config;
  openStore(config: Config): Promise<Store>;
  openWix(config: Config): Promise<{ wix: WixConnection } | { missing: string }>;
  catalog: readonly AnyWixTool[];
}

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** Calls a running service's /api with ADMIN_TOKEN; exits with the service's error message on failure. */
async function callApi(
  cfg: Config,
  base: string,
  path: string,
  method = 'GET',
  body?: unknown,
): Promise<unknown> {
  if (!cfg.adminToken) {
    console.error('--api needs ADMIN_TOKEN in the environment');
    process.exit(2);
  }
  const response = await fetch(new URL(`/api${path}`, base), {
    method,
    headers: {
      authorization: `Bearer ${cfg.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    console.error(`${response.status}: ${String(answer.error ?? response.statusText)}`);
    process.exit(1);
  }
  return answer;
}

function printToken(t: McpToken): void {
  const state = t.revokedAt ? 'revoked' : Date.parse(t.expiresAt) <= Date.now() ? 'expired' : 'live';
  console.log(
    `${t.id}  ${t.name.padEnd(20)} ${state.padEnd(7)} ${t.hint}…  methods=${t.methods.join(',')}  mode=${t.mode}` +
      `  tags=${t.tags.join(',') || '-'}  tools=${t.tools.join(',') || '-'}  sites=${t.sites.join(',')}  expires=${t.expiresAt}`,
  );
}

async function withTokens<T>(
  deps: McpCliDeps,
  fn: (tokens: ReturnType<typeof createTokenStore>) => Promise<T>,
) {
  const store = await deps.openStore(deps.config());
  try {
    return await fn(createTokenStore(store, { catalog: deps.catalog }));
  } finally {
    await store.close();
  }
}

export function registerMcpCommands(program: Command, deps: McpCliDeps): void {
  program
    .command('mcp')
    .description('serve MCP over stdio for a desktop client (Claude Desktop, Cursor); logs go to stderr')
    .option('--token <secret>', 'the MCP token (default: $WIX_MCP_TOKEN)')
    .action(async (opts: { token?: string }) => {
      const secret = opts.token ?? process.env.WIX_MCP_TOKEN;
      if (!secret) {
        console.error('mcp: give --token <secret> or set WIX_MCP_TOKEN (create one with: mcp-tokens create)');
        process.exit(2);
      }
      const cfg = deps.config();
      const store = await deps.openStore(cfg);
      const opened = await deps.openWix(cfg);
      const { serveStdio, StdioAuthError } = await import('../mcp/stdio.js');
      if ('missing' in opened) {
        console.error(`mcp: ${opened.missing}`);
        await store.close();
        process.exit(2);
      }
      try {
        await serveStdio(
          {
            tokens: createTokenStore(store, { catalog: deps.catalog }),
            catalog: deps.catalog,
            audit: createAudit(store),
            // This process is the owner of the writes it sends; the service settles any it leaves in flight.
            journal: createJournal(store, newWriteOwner(cfg.writeOwnerTtlMs)),
            client: opened.wix.client,
            ceiling: cfg.agentMode,
          },
          secret,
        );
      } catch (error) {
        if (!(error instanceof StdioAuthError)) throw error;
        console.error(`mcp: ${error.message}`);
        process.exitCode = 1;
      } finally {
        await opened.wix.close();
        await store.close();
      }
    });

  const tokens = program.command('mcp-tokens').description('scoped, expiring tokens for MCP clients');
  tokens
    .command('create')
    .description('create a token; its secret is printed once')
    .requiredOption('--name <name>', 'shown as the actor in the audit trail')
    .requiredOption('--site <instanceId...>', 'site(s) the token may act on', collect)
    .addOption(new Option('--methods <list>', 'read, write or read,write').default('read'))
    .option('--tag <tag...>', 'tools with any of these tags (orders, crm, stores, ...)', collect)
    .option('--tool <name...>', 'these tools by name', collect)
    .addOption(
      new Option('--mode <mode>', 'how writes run')
        .choices(['live', 'dry-run', 'approval'])
        .default('approval'),
    )
    .option('--expires-in <duration>', 'e.g. 12h, 30d (default 30d, at most 366d)')
    .option('--api <url>', 'create on a running service (needs ADMIN_TOKEN)')
    .action(
      async (opts: {
        name: string;
        site: string[];
        methods: string;
        tag?: string[];
        tool?: string[];
        mode: string;
        expiresIn?: string;
        api?: string;
      }) => {
        const input = {
          name: opts.name,
          sites: opts.site,
          methods: collect(opts.methods),
          tags: opts.tag ?? [],
          tools: opts.tool ?? [],
          mode: opts.mode,
          ...(opts.expiresIn ? { expiresIn: opts.expiresIn } : {}),
        };
        try {
          const created = opts.api
            ? ((await callApi(deps.config(), opts.api, '/mcp/tokens', 'POST', input)) as {
                token: McpToken;
                secret: string;
              })
            : await withTokens(deps, (t) => t.create(input));
          printToken(created.token);
          console.log(`\nsecret (shown once, store it now):\n${created.secret}`);
        } catch (error) {
          console.error(`mcp-tokens create: ${(error as Error).message}`);
          process.exitCode = 1;
        }
      },
    );
  tokens
    .command('list')
    .option('--all', 'include revoked tokens')
    .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
    .action(async (opts: { all?: boolean; api?: string }) => {
      const list = opts.api
        ? (
            (await callApi(deps.config(), opts.api, `/mcp/tokens${opts.all ? '?all=1' : ''}`)) as {
              tokens: McpToken[];
            }
          ).tokens
        : await withTokens(deps, (t) => t.list({ includeRevoked: Boolean(opts.all) }));
      list.forEach(printToken);
      console.log(`${list.length} token(s)`);
    });
  tokens
    .command('revoke')
    .argument('<idOrName>', 'token id or name')
    .option('--api <url>', 'revoke on a running service (needs ADMIN_TOKEN)')
    .action(async (idOrName: string, opts: { api?: string }) => {
      const revoked = opts.api
        ? (
            (await callApi(
              deps.config(),
              opts.api,
              `/mcp/tokens/${encodeURIComponent(idOrName)}`,
              'DELETE',
            )) as { token: McpToken }
          ).token
        : await withTokens(deps, (t) => t.revoke(idOrName));
      if (!revoked) {
        console.error(`no token ${idOrName}`);
        process.exitCode = 1;
        return;
      }
      printToken(revoked);
    });
}
