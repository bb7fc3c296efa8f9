import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { hasCode } from '../lib/error-codes.js';
import { nowSql, type Queryable } from '../store/port.js';
import type { AnyWixTool } from '../wix/tools/tool.js';
import { scopeProblems, toolsInScope, type TokenScope } from './scope.js';

/** A stored token, without its secret. */
export interface McpToken extends TokenScope {
  id: string;
  /** Unique among live tokens; the actor in the audit trail. */
  name: string;
  /** The secret's first characters (e.g. `wea_3kF9x`), to recognise it. */
  hint: string;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** Secrets look like `wea_<43 base64url chars>` (256 random bits). */
export const TOKEN_PREFIX = 'wea_';
const MAX_LIFETIME_MS = 366 * 86_400_000;
const DEFAULT_LIFETIME_MS = 30 * 86_400_000;

const durationUnits: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90m`, `12h`, `30d` → ms; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,5})\s*([mhd])$/.exec(text.trim());
  return match ? Number(match[1]) * durationUnits[match[2]!]! : undefined;
}

const list = (max: number) =>
  z
    .array(z.string().trim().min(1).max(100))
    .max(max)
    .default([])
    .transform((v) => [...new Set(v)]);

/** What creating a token takes (CLI flags and `POST /api/mcp/tokens` bodies). */
export const createTokenInput = z
  .object({
    name: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/,
        'letters, digits, space . _ - (1-64, starting with a letter or digit)',
      ),
    methods: z
      .array(z.enum(['read', 'write']))
      .min(1, 'give at least one method: read or write')
      .transform((v) => [...new Set(v)]),
    tags: list(50),
    tools: list(200),
    sites: list(50).pipe(z.array(z.string()).min(1, 'give at least one site (instance id)')),
    mode: z.enum(['live', 'dry-run', 'approval']).default('approval'),
    /** A duration such as `30d`, `12h`, `90m`. Default 30d, at most 366d. Ignored when `expiresAt` is given. */
    expiresIn: z.string().optional(),
    /** ISO-8601 date-time. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type CreateTokenInput = z.input<typeof createTokenInput>;

/** A token that cannot be created (bad input, filters matching no tool, name taken). Maps to HTTP 400/409. */
export class TokenInputError extends AppError {
  constructor(
    message: string,
    readonly status: 400 | 409 = 400,
  ) {
    super(message, { code: 'INVALID_TOKEN_REQUEST', retryable: false });
  }
}

/** Why a presented secret was not accepted; every reason answers 401 the same way. */
export type AuthFailure = 'unknown' | 'revoked' | 'expired';

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
const json = (v: unknown): string[] => (typeof v === 'string' ? JSON.parse(v) : v) as string[];

function toToken(r: Record<string, unknown>): McpToken {
  return {
    id: String(r.id),
    name: String(r.name),
    hint: String(r.hint),
    methods: json(r.methods) as TokenScope['methods'],
    tags: json(r.tags),
    tools: json(r.tools),
    sites: json(r.sites),
    mode: r.mode as TokenScope['mode'],
    expiresAt: iso(r.expires_at)!,
    createdAt: iso(r.created_at)!,
    revokedAt: iso(r.revoked_at),
    lastUsedAt: iso(r.last_used_at),
  };
}

/**
 * MCP tokens in the store: created with a scope checked against the tool catalog, stored hashed
 * (the secret is returned once, by `create`), listed, revoked, and checked on every request.
 */
export function createTokenStore(
  db: Queryable,
  deps: { catalog: readonly AnyWixTool[]; now?: () => number },
) {
  const now = deps.now ?? Date.now;
  return {
    /** Creates a token; returns it with its secret, which is not stored and cannot be shown again. */
    async create(raw: unknown): Promise<{ token: McpToken; secret: string }> {
      const parsed = createTokenInput.safeParse(raw);
      if (!parsed.success) {
        throw new TokenInputError(
          parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; '),
        );
      }
      const input = parsed.data;
      const problems = scopeProblems(deps.catalog, input);
      if (problems.length) throw new TokenInputError(problems.join('; '));
      let expiresAt: number;
      if (input.expiresAt) expiresAt = Date.parse(input.expiresAt);
      else {
        const ms = input.expiresIn === undefined ? DEFAULT_LIFETIME_MS : parseDuration(input.expiresIn);
        if (ms === undefined) throw new TokenInputError('expiresIn: a duration such as 90m, 12h or 30d');
        expiresAt = now() + ms;
      }
      if (expiresAt <= now()) throw new TokenInputError('expiry: must be in the future');
      if (expiresAt - now() > MAX_LIFETIME_MS) throw new TokenInputError('expiry: at most 366 days ahead');

      const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const id = randomUUID();
      try {
        await db.query(
          `INSERT INTO mcp_tokens (id, name, secret_hash, hint, methods, tags, tools, sites, mode, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            id,
            input.name,
            hashSecret(secret),
            secret.slice(0, TOKEN_PREFIX.length + 5),
            JSON.stringify(input.methods),
            JSON.stringify(input.tags),
            JSON.stringify(input.tools),
            JSON.stringify(input.sites),
            input.mode,
            new Date(expiresAt).toISOString(),
          ],
        );
      } catch (error) {
        if (hasCode(error, '23505', 'SQLITE_CONSTRAINT_UNIQUE')) {
          throw new TokenInputError(
            `a live token named "${input.name}" exists; revoke it or pick another name`,
            409,
          );
        }
        throw error;
      }
      return { token: (await this.get(id))!, secret };
    },

    async get(idOrName: string): Promise<McpToken | undefined> {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT * FROM mcp_tokens WHERE id = $1 OR (name = $1 AND revoked_at IS NULL)
          ORDER BY revoked_at NULLS FIRST LIMIT 1`,
        [idOrName],
      );
      return rows[0] ? toToken(rows[0]) : undefined;
    },

    /** Tokens, newest first; revoked ones only with `includeRevoked`. */
    async list(options: { includeRevoked?: boolean } = {}): Promise<McpToken[]> {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT * FROM mcp_tokens ${options.includeRevoked ? '' : 'WHERE revoked_at IS NULL'} ORDER BY created_at DESC`,
      );
      return rows.map(toToken);
    },

    /** Revokes by id or name; the token is refused from the next request on. Undefined when none matched. */
    async revoke(idOrName: string): Promise<McpToken | undefined> {
      const token = await this.get(idOrName);
      if (!token) return undefined;
      await db.query(
        `UPDATE mcp_tokens SET revoked_at = ${nowSql(db)} WHERE id = $1 AND revoked_at IS NULL`,
        [token.id],
      );
      return this.get(token.id);
    },

    /** The token a presented secret belongs to, or why it is refused. */
    async authenticate(secret: string): Promise<{ token: McpToken } | { failure: AuthFailure }> {
      if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return { failure: 'unknown' };
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT * FROM mcp_tokens WHERE secret_hash = $1`,
        [hashSecret(secret)],
      );
      if (!rows[0]) return { failure: 'unknown' };
      const token = toToken(rows[0]);
      if (token.revokedAt) return { failure: 'revoked' };
      if (Date.parse(token.expiresAt) <= now()) return { failure: 'expired' };
      await db.query(`UPDATE mcp_tokens SET last_used_at = ${nowSql(db)} WHERE id = $1`, [token.id]);
      return { token };
    },

    /** The catalog's tools this token may see and call. */
    toolsOf(token: TokenScope): AnyWixTool[] {
      return toolsInScope(deps.catalog, token);
    },
  };
}
export type TokenStore = ReturnType<typeof createTokenStore>;
