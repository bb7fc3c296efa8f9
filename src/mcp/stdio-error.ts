/** Why stdio mode could not start (bad token): printed to stderr by the CLI. */
export class StdioAuthError extends Error {}
