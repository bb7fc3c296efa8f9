import { wixToolsByName, type WixToolName } from './catalog.js';
import { withoutNulls } from './nulls.js';
import { fallbackPhrase, type DescribeContext, type ToolPhrase } from './phrase.js';
import type { AnyWixTool } from './tool.js';

/**
 * A tool call in plain English: the one place the console, the CLI and the demo ask. `tool` is a tool,
 * or a name looked up in the catalog; `input` the call's arguments as recorded, parsed as `runTool`
 * parses them and given to the tool's `describe`. An unknown tool, a tool without `describe`, arguments
 * its schema refuses, or a `describe` that throws get `fallbackPhrase` (the name and compact arguments).
 */
export function describeToolCall(
  tool: AnyWixTool | string,
  input: unknown,
  about: DescribeContext = {},
): ToolPhrase {
  const name = typeof tool === 'string' ? tool : tool.name;
  const found =
    typeof tool !== 'string'
      ? tool
      : Object.hasOwn(wixToolsByName, tool)
        ? wixToolsByName[tool as WixToolName]
        : undefined;
  if (!found?.describe) return fallbackPhrase(name, input);
  const parsed = found.input.safeParse(withoutNulls(found.input, input));
  if (!parsed.success) return fallbackPhrase(name, input);
  try {
    return found.describe(parsed.data, about);
  } catch {
    return fallbackPhrase(name, input);
  }
}
