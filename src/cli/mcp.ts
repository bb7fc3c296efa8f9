/** CLI commands of the MCP room: `mcp` (stdio server) and `mcp-tokens create|list|revoke`. */
import { Option, type Command } from 'commander';
import { withTokens } from '../app/commands.js';
import { serveMcpStdio, StdioAuthError } from '../app/on-demand.js';
import type { McpToken } from '../mcp/tokens.js';
import { api, config, stderrLogger } from './context.js';

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

function printToken(t: McpToken): void {
  const state = t.revokedAt ? 'revoked' : Date.parse(t.expiresAt) <= Date.now() ? 'expired' : 'live';
  console.log(
    `${t.id}  ${t.name.padEnd(20)} ${state.padEnd(7)} ${t.hint}…  methods=${t.methods.join(',')}  mode=${t.mode}` +
      `  tags=${t.tags.join(',') || '-'}  tools=${t.tools.join(',') || '-'}  sites=${t.sites.join(',')}  expires=${t.expiresAt}`,
  );
}

/** `mcp` (stdio) and `mcp-tokens create|list|revoke`. */
export function registerMcp(program: Command): void {
  registerMcpStdio(program);
  registerMcpTokens(program);
}

function registerMcpStdio(program: Command): void {
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
      const cfg = config();
      const logger = stderrLogger(cfg);
      try {
        const served = await serveMcpStdio(cfg, secret, logger);
        if (served && 'missing' in served) {
          console.error(`mcp: ${served.missing}`);
          process.exit(2);
        }
      } catch (error) {
        if (!(error instanceof StdioAuthError)) throw error;
        console.error(`mcp: ${error.message}`);
        process.exitCode = 1;
      }
    });
}

function registerMcpTokens(program: Command): void {
  const tokens = program.command('mcp-tokens').description('scoped, expiring tokens for MCP clients');
  registerTokenCreate(tokens);
  tokens
    .command('list')
    .option('--all', 'include revoked tokens')
    .option('--api <url>', 'ask a running service (needs ADMIN_TOKEN)')
    .action(async (opts: { all?: boolean; api?: string }) => {
      const list = opts.api
        ? (
            (await api(opts.api, `/mcp/tokens${opts.all ? '?all=1' : ''}`)) as {
              tokens: McpToken[];
            }
          ).tokens
        : await withTokens(config(), (t) => t.list({ includeRevoked: Boolean(opts.all) }));
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
            (await api(opts.api, `/mcp/tokens/${encodeURIComponent(idOrName)}`, 'DELETE')) as {
              token: McpToken;
            }
          ).token
        : await withTokens(config(), (t) => t.revoke(idOrName));
      if (!revoked) {
        console.error(`no token ${idOrName}`);
        process.exitCode = 1;
        return;
      }
      printToken(revoked);
    });
}

function registerTokenCreate(tokens: Command): void {
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
            ? ((await api(opts.api, '/mcp/tokens', 'POST', input)) as {
                token: McpToken;
                secret: string;
              })
            : await withTokens(config(), (t) => t.create(input));
          printToken(created.token);
          console.log(`\nsecret (shown once, store it now):\n${created.secret}`);
        } catch (error) {
          console.error(`mcp-tokens create: ${(error as Error).message}`);
          process.exitCode = 1;
        }
      },
    );
}
