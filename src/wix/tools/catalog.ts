/**
 * The tool catalog: every Wix tool of `list.ts`, exported by name (the package's public entry re-exports
 * this file, so a new tool is public once it is listed there), the list, and the union of their names.
 */
import * as listed from './list.js';
import type { AnyWixTool } from './tool.js';

export * from './list.js';

type Listed = typeof listed;

/** Every Wix tool. Handlers and MCP tokens pick from these by name. */
export const wixTools: readonly AnyWixTool[] = Object.values(listed);

/** The name of a Wix tool, as a union of its literals (from each tool's `defineTool`). */
export type WixToolName = Listed[keyof Listed]['name'];

export const wixToolsByName: Readonly<Record<WixToolName, AnyWixTool>> = Object.fromEntries(
  wixTools.map((tool) => [tool.name, tool]),
) as Record<WixToolName, AnyWixTool>;
