/**
 * MCP room: Wix tools for ChatGPT, Claude, Cursor and agent frameworks, behind scoped, expiring tokens.
 *
 * Glossary: a *token* is a stored, hashed secret with a *scope* (methods, tags, tool names, sites, mode);
 * a *call* is one `tools/call` (or AI SDK tool execution) run through `callToolForToken`, which records
 * it in the audit as a one-call run of the handler `mcp:<token name>`.
 */
export {
  callToolForToken,
  retryMessage,
  SITE_ARG,
  type CallerToken,
  type McpCallDeps,
  type McpCallResult,
} from './call.js';
export { scopedAiTools, toolDefinitions, type ToolDefinition } from './definitions.js';
export { mcpRouter, type McpHttpDeps } from './http.js';
export { mcpApiRouter } from './api.js';
export {
  effectiveMode,
  inScope,
  missingScope,
  scopeProblems,
  toolsInScope,
  type TokenScope,
} from './scope.js';
export { createMcpServer, mcpToolDefinition, IDEMPOTENCY_META_KEY, SERVER_INFO } from './server.js';
export { serveStdio } from './stdio.js';
export {
  createTokenStore,
  createTokenInput,
  TokenInputError,
  type CreateTokenInput,
  type McpToken,
  type TokenStore,
} from './tokens.js';
