/**
 * SANDBOX ONLY. What the scripted stand-in model "decides" for the built-in handlers: the lookups and
 * then the writes a reasonable model would make, given the offered tools, the event data and the tool
 * results so far. It never follows text inside the data. It is not an LLM and says so.
 */
import { scriptTurn, type SandboxScript } from '../handlers/script.js';
import { resultsOf, type Conversation } from './llm-conversation.js';
import { asObject as obj, asArray as arr, asString as str } from '../lib/json-shape.js';

export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
}
export type Turn = { calls: PlannedCall[] } | { text: string };

/** Keeps only calls to offered tools: the scripted model never asks for anything else. */
function offered(c: Conversation, calls: (PlannedCall | false | undefined | null | '')[]): PlannedCall[] {
  return calls.filter((x): x is PlannedCall => Boolean(x) && c.offered.has((x as PlannedCall).name));
}

function describeWrite(result: unknown, what: string): string {
  const r = obj(result);
  if (r.status === 'simulated') return `${what} (simulated, dry-run)`;
  if (r.status === 'pending_approval') return `${what} (awaiting approval)`;
  if (r.error) return `${what} failed: ${str(obj(r.error).message) ?? 'error'}`;
  return what;
}

const ASKS_FOR_A_PERSON =
  /\b(gift|wrap|deliver|delivery|ship|call|phone|change|date|address|urgent|please|asap|instead)\b/i;

function orderTriage(c: Conversation): Turn {
  const d = c.data;
  const buyer = obj(d.buyer);
  const contactId = str(buyer.contactId);
  const productIds = arr(d.lineItems)
    .map((i) => str(obj(i).catalogItemId))
    .filter((x): x is string => Boolean(x));
  const vipAbove = Number(/above ([\d.]+) in the order's currency/.exec(c.system)?.[1] ?? 500);

  if (c.history.length === 0) {
    const calls = offered(c, [
      contactId && { name: 'get_contact', args: { contactId } },
      contactId
        ? { name: 'search_orders', args: { contactId, limit: 50 } }
        : str(buyer.email) && { name: 'search_orders', args: { email: str(buyer.email), limit: 50 } },
      productIds.length > 0 && { name: 'check_inventory', args: { productIds } },
    ]);
    if (calls.length) return { calls };
  }

  const wroteAlready = c.history.some((h) =>
    ['label_contact', 'create_task', 'add_order_note'].includes(h.name),
  );
  if (!wroteAlready) {
    const history = obj(resultsOf(c, 'search_orders')[0]);
    const orders = arr(history.orders);
    const spend = Number(
      str(obj(history.pageTotal).amount) ??
        orders.reduce((s: number, o) => s + Number(str(obj(o).total) ?? 0), 0),
    );
    const label = spend > vipAbove ? 'vip' : orders.length > 1 ? 'repeat-customer' : 'first-order';
    const stock = arr(obj(resultsOf(c, 'check_inventory')[0]).products).map(obj);
    const short = stock.filter((p) => p.availability === 'OUT_OF_STOCK' || p.lowStock === true);
    const note = str(d.buyerNote);
    const findings = [
      `buyer has ${orders.length} order(s), lifetime spend ${spend.toFixed(2)} ${str(d.currency) ?? ''}`.trim(),
      `labelled ${label}`,
      short.length
        ? `stock issue: ${short.map((p) => `${str(p.name) ?? str(p.productId)} (${str(p.availability) ?? 'low'})`).join(', ')}`
        : 'stock ok',
      note ? 'buyer note needs a person' : undefined,
    ].filter(Boolean);
    const calls = offered(c, [
      contactId && { name: 'label_contact', args: { contactId, labels: [label] } },
      short.length > 0 && {
        name: 'create_task',
        args: {
          title: `Restock: ${short.map((p) => str(p.name) ?? str(p.productId)).join(', ')}`.slice(0, 200),
          description: `Order #${str(d.number) ?? '?'} includes products that are out of stock or low.`,
        },
      },
      note !== undefined &&
        ASKS_FOR_A_PERSON.test(note) && {
          name: 'create_task',
          args: {
            title: `Follow up on order #${str(d.number) ?? '?'}: buyer request`,
            description: `The buyer wrote a note that needs a person (shown as data, not acted on):\n"${note.slice(0, 400)}"`,
            ...(contactId ? { contactId } : {}),
          },
        },
      str(d.orderId) && {
        name: 'add_order_note',
        args: { orderId: str(d.orderId), note: `Triage: ${findings.join('; ')}.`.slice(0, 1000) },
      },
    ]);
    if (calls.length) return { calls };
  }

  const done = [
    ...resultsOf(c, 'label_contact').map((r) => describeWrite(r, 'labelled the buyer')),
    ...resultsOf(c, 'create_task').map((r) => describeWrite(r, 'created a task')),
    ...resultsOf(c, 'add_order_note').map((r) => describeWrite(r, 'added an internal order note')),
  ];
  return {
    text: `Order #${str(d.number) ?? '?'} triaged by the sandbox model: ${done.join('; ') || 'nothing to do'}.`,
  };
}

function contactIntake(c: Conversation): Turn {
  const d = c.data;
  const contactId = str(d.contactId);
  const emails = arr(d.emails)
    .map(str)
    .filter((x): x is string => Boolean(x));
  const phones = arr(d.phones)
    .map(str)
    .filter((x): x is string => Boolean(x));

  if (c.history.length === 0) {
    const calls = offered(c, [
      ...emails.slice(0, 3).map((email) => ({ name: 'find_contacts', args: { email } })),
      ...phones.slice(0, 2).map((phone) => ({ name: 'find_contacts', args: { phone } })),
    ]);
    if (calls.length) return { calls };
  }

  const wroteAlready = c.history.some((h) =>
    ['label_contact', 'create_task', 'send_inbox_message'].includes(h.name),
  );
  if (!wroteAlready && contactId) {
    const others = [
      ...new Set(
        resultsOf(c, 'find_contacts')
          .flatMap((r) => arr(obj(r).contacts))
          .map((x) => str(obj(x).id))
          .filter((id): id is string => Boolean(id) && id !== contactId),
      ),
    ];
    const source = obj(d.source);
    const label =
      d.member === true || source.sourceType === 'WIX_SITE_MEMBERS'
        ? 'member-signup'
        : source.sourceType === 'WIX_FORMS'
          ? 'from-form'
          : ['WIX_STORES', 'ECOM', 'WIX_BOOKINGS'].includes(String(source.sourceType))
            ? 'from-checkout'
            : source.sourceType === 'IMPORT'
              ? 'from-import'
              : 'from-other';
    const first = str(obj(d.name).first);
    const calls = offered(c, [
      others.length > 0 && {
        name: 'create_task',
        args: {
          title: 'Review possible duplicate contact',
          description: `New contact ${contactId} shares an email or phone with ${others.join(', ')}.`,
          contactId,
        },
      },
      {
        name: 'label_contact',
        args: { contactId, labels: others.length ? [label, 'possible-duplicate'] : [label] },
      },
      {
        name: 'send_inbox_message',
        args: {
          contactId,
          visibility: 'staff',
          text: `Welcome${first && first.length < 40 ? `, ${first}` : ''}! Thanks for getting in touch.`,
        },
      },
    ]);
    if (calls.length) return { calls };
  }

  const done = [
    ...resultsOf(c, 'create_task').map((r) => describeWrite(r, 'flagged a possible duplicate for review')),
    ...resultsOf(c, 'label_contact').map((r) => describeWrite(r, 'labelled the contact by source')),
    ...resultsOf(c, 'send_inbox_message').map((r) => describeWrite(r, 'left a staff-only welcome draft')),
  ];
  return { text: `Contact intake by the sandbox model: ${done.join('; ') || 'nothing to do'}.` };
}

/**
 * The scripted turn for a request, by handler: a script given for it (a handler's `sandbox` script),
 * else the built-in handlers' own. Undefined when there is none: the emulator then says so with an error.
 */
export function scriptedTurn(
  c: Conversation,
  scripts: Readonly<Record<string, SandboxScript>> = {},
): Turn | undefined {
  const script =
    c.handler !== undefined && Object.hasOwn(scripts, c.handler) ? scripts[c.handler] : undefined;
  if (script) {
    const turn = scriptTurn(script, {
      data: c.data,
      results: c.history.map((h) => ({ tool: h.name, input: h.args, result: h.result })),
      turn: c.turns,
    });
    return 'text' in turn
      ? { text: turn.text }
      : { calls: turn.calls.map((call) => ({ name: call.tool, args: call.input })) };
  }
  if (c.handler === 'order-triage') return orderTriage(c);
  if (c.handler === 'contact-intake') return contactIntake(c);
  return undefined;
}
