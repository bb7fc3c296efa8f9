/**
 * `trigger <event>`: a fresh event (new ids every time) by name, with `--set path=value` overrides on
 * its entity, signed as Wix signs and POSTed to the webhook endpoint.
 */
import { eventByName, type TestEvent } from './builders.js';

/** `a.b.0.c=value`: the value is JSON when it parses (numbers, booleans, objects), else the text. */
export function parseSet(assignment: string): { path: string[]; value: unknown } {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new Error(`--set ${assignment}: expected path=value`);
  const path = assignment.slice(0, eq).split('.').filter(Boolean);
  if (path.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) {
    throw new Error(`--set ${assignment}: not a settable path`);
  }
  const text = assignment.slice(eq + 1);
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // plain text
  }
  return { path, value };
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown, raw: string): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  // A field Wix sends as text (money amounts such as "250.00", ids) stays text: `--set amount=250.00`
  // must not turn it into the number 250, which Wix never sends and the order model refuses.
  node[last] = typeof node[last] === 'string' && typeof value !== 'string' ? String(raw) : value;
}

/**
 * Builds the event `name` (built-in name or Wix event type) with fresh ids and applies the overrides to
 * its entity (for `order_approved`, the order). Throws for an event it cannot build.
 */
export function triggerEvent(
  name: string,
  sets: readonly string[] = [],
  options: { instanceId?: string } = {},
): TestEvent<Record<string, unknown>> {
  const event = eventByName(name, options.instanceId ? { instanceId: options.instanceId } : {}) as
    TestEvent<Record<string, unknown>> | undefined;
  if (!event) {
    throw new Error(
      `trigger: no builder for "${name}" (order_created, order_approved, contact_created, wix.contacts.v4.contact_updated, wix.contacts.v4.contact_deleted)`,
    );
  }
  for (const assignment of sets) {
    const { path, value } = parseSet(assignment);
    setPath(event.entity, path, value, assignment.slice(assignment.indexOf('=') + 1));
  }
  return event;
}
