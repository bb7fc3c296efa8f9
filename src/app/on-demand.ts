/**
 * The parts a command loads only when it runs (the stand-ins, the demo, MCP over stdio), so that
 * `serve` on the embedded defaults never carries them (memory at rest). The CLI calls these; the
 * imports stay lazy here, in the composition root.
 */
import type { Config } from '../config/load.js';
import type { Logger } from '../observability/logger.js';
import type { DemoOptions } from './demo.js';
import type { Sandbox } from './sandbox.js';

/** `serve --sandbox`: the Wix emulator and the sandbox key pair (see app/sandbox.ts). */
export async function startSandbox(): Promise<Sandbox> {
  return (await import('./sandbox.js')).startSandbox();
}

/** The sandbox key pair's files in `./.wix-event-agent/`, made on first use (see app/sandbox.ts). */
export async function sandboxKeyFiles(): Promise<{ privateKey: string; publicKey: string }> {
  return (await import('./sandbox.js')).sandboxKeyFiles();
}

/** `demo`: the whole product on the stand-ins (see app/demo.ts). */
export async function runDemo(options: DemoOptions): Promise<{ stop(): Promise<void> }> {
  return (await import('./demo.js')).runDemo(options);
}

/**
 * `mcp`: serves MCP over stdio with `secret`'s token until the client closes, on the deployment's call
 * path (counted and logged as the HTTP server's calls are). Resolves `{ missing }` without Wix
 * credentials; rejects with StdioAuthError for a bad token.
 */
export async function serveMcpStdio(
  config: Config,
  secret: string,
  logger: Logger,
): Promise<void | { missing: string }> {
  const [{ serveStdio }, { mcpStdioDeps, withCalls }] = await Promise.all([
    import('../mcp/stdio.js'),
    import('./commands.js'),
  ]);
  return withCalls(config, { logger, handlers: [], mustExist: false }, (calls, more) =>
    serveStdio(mcpStdioDeps(config, calls, { ...more, logger }), secret),
  );
}

export { StdioAuthError } from '../mcp/stdio-error.js';
