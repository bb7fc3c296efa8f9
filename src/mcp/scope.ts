import { effectiveMode } from '../domain/modes.js';
import type { AgentMode } from '../domain/modes.js';
import type { AnyWixTool } from '../wix/tools/tool.js';

/** What a token may do: which tools (by access, tag or name), on which sites, in which mode. */
export interface TokenScope {
  /** Accesses allowed: `read`, `write` or both. At least one. */
  methods: ('read' | 'write')[];
  /** Tools carrying any of these tags are in scope; empty = not filtered by tag. */
  tags: string[];
  /** Tools with these names are in scope; empty = not filtered by name. */
  tools: string[];
  /** Instance ids (sites) the token may act on. At least one. */
  sites: string[];
  /** How writes run: `live`, `dry-run` (recorded, not sent) or `approval` (parked for a person). */
  mode: AgentMode;
}

/**
 * Whether a tool is in scope: its access must be one of `methods`, and when tags or tool names are
 * given it must match at least one of them (a tag OR a name: `--tag crm --tool get_order` adds
 * get_order to the crm tools).
 */
export function inScope(tool: AnyWixTool, scope: Pick<TokenScope, 'methods' | 'tags' | 'tools'>): boolean {
  if (!scope.methods.includes(tool.access)) return false;
  if (scope.tags.length === 0 && scope.tools.length === 0) return true;
  return scope.tools.includes(tool.name) || tool.tags.some((tag) => scope.tags.includes(tag));
}

/** The catalog's tools a scope allows, in catalog order. */
export function toolsInScope(
  catalog: readonly AnyWixTool[],
  scope: Pick<TokenScope, 'methods' | 'tags' | 'tools'>,
): AnyWixTool[] {
  return catalog.filter((tool) => inScope(tool, scope));
}

/**
 * Why a tool is out of scope, naming what the token lacks, e.g.
 * `create_task needs write access; this token has read`.
 */
export function missingScope(
  tool: AnyWixTool,
  scope: Pick<TokenScope, 'methods' | 'tags' | 'tools'>,
): string {
  if (!scope.methods.includes(tool.access)) {
    return `${tool.name} needs ${tool.access} access; this token has ${scope.methods.join(' + ')}`;
  }
  return `${tool.name} needs tag ${tool.tags.join(' or ')} or the tool itself in the token's scope; this token has tags [${scope.tags.join(', ')}] and tools [${scope.tools.join(', ')}]`;
}

/**
 * The mode a write runs in: the token's mode, never looser than `AGENT_MODE` (the ceiling); a
 * destructive tool (cancel an order) is parked for approval unless something stricter applies.
 */
export function toolMode(tool: AnyWixTool, tokenMode: AgentMode, ceiling: AgentMode): AgentMode {
  return effectiveMode(ceiling, tokenMode, tool.destructive ? 'approval' : undefined);
}

/** Problems with a requested scope against the catalog; empty when it is usable. */
export function scopeProblems(catalog: readonly AnyWixTool[], scope: TokenScope): string[] {
  const problems: string[] = [];
  if (scope.methods.length === 0) problems.push('give at least one method: read or write');
  if (scope.sites.length === 0) problems.push('give at least one site (instance id)');
  const names = new Set(catalog.map((t) => t.name));
  const tags = new Set(catalog.flatMap((t) => t.tags));
  const unknownTools = scope.tools.filter((t) => !names.has(t));
  if (unknownTools.length) problems.push(`unknown tool(s): ${unknownTools.join(', ')}`);
  const unknownTags = scope.tags.filter((t) => !tags.has(t));
  if (unknownTags.length) {
    problems.push(`unknown tag(s): ${unknownTags.join(', ')} (known: ${[...tags].sort().join(', ')})`);
  }
  if (problems.length === 0 && toolsInScope(catalog, scope).length === 0) {
    problems.push('these filters match no tool: widen methods, tags or tools');
  }
  return problems;
}
