/**
 * Plain English for tool calls, as people read them (the console's run timeline and approval cards, the
 * CLI's approvals listing, the demo report): what a tool's `describe` returns and the pieces its phrase
 * is made of. Customer text is quoted and clipped; whoever shows it escapes it (the console does).
 */

/** One tool call in plain English, in the two tenses a timeline needs. */
export interface ToolPhrase {
  /** The action not (yet) done: "label the buyer's contact “vip”". */
  todo: string;
  /** The same action done: "labelled the buyer's contact “vip”". */
  did: string;
}

/** What the reader knows about the call's event, to name its contact and order the way a person would. */
export interface DescribeContext {
  /** The contact the event is about (the order's buyer, or the new contact). */
  subjectContactId?: string | undefined;
  /** How to call that contact: "the buyer's contact" or "the new contact". */
  subjectName?: string | undefined;
  /** The order the event is about. */
  orderId?: string | undefined;
}

/** Both tenses of a phrase from its verb's and the words after it: `phrase('look up', 'looked up', 'order o-1')`. */
export function phrase(todo: string, did: string, rest = ''): ToolPhrase {
  const tail = rest ? ` ${rest}` : '';
  return { todo: `${todo}${tail}`, did: `${did}${tail}` };
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Customer text (or an id, a price) in curly quotes, clipped to `max` characters with "…". */
export function quote(text: string | number | undefined, max = 80): string {
  return `“${clip(String(text ?? ''), max)}”`;
}

/** Several texts quoted, each clipped to 40 characters: `“vip”, “repeat”`. */
export function quoteAll(texts: readonly string[]): string {
  return texts.map((t) => quote(t, 40)).join(', ');
}

/** `1 product`, `3 products`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * A contact by id: the event's own contact by its name there ("the buyer's contact"); any other as
 * `<other> <id>` ("contact c-1"), where `other` may say it is not the event's ("a stranger, contact").
 * Without a known subject every contact is `contact <id>`.
 */
export function contactName(id: string | undefined, about: DescribeContext, other = 'contact'): string {
  if (!id) return 'a contact';
  if (!about.subjectContactId) return `contact ${id}`;
  if (id === about.subjectContactId) return about.subjectName ?? 'the contact';
  return `${other} ${id}`;
}

/** An order by id: "this order" for the event's own, else `order <id>`. */
export function orderName(id: string | undefined, about: DescribeContext): string {
  if (about.orderId && id === about.orderId) return 'this order';
  return id ? `order ${id}` : 'an order';
}

/** " (next page)" when a paged call gives a cursor, else nothing. */
export function pageNote(input: { cursor?: string | undefined }): string {
  return input.cursor ? ' (next page)' : '';
}

/** Arguments as compact JSON clipped to 80 characters; empty for none. */
function compactArgs(input: unknown): string {
  if (input === undefined || input === null) return '';
  if (typeof input === 'object' && Object.keys(input).length === 0) return '';
  try {
    return clip(JSON.stringify(input) ?? '', 80);
  } catch {
    return '';
  }
}

/**
 * The phrase of a call whose tool has no `describe` (or is unknown, or got arguments its schema refuses):
 * `call the tool refund_order {"orderId":"o-1"}` / `called the tool …`.
 */
export function fallbackPhrase(tool: string, input: unknown): ToolPhrase {
  const args = compactArgs(input);
  return phrase('call the tool', 'called the tool', args ? `${tool} ${args}` : tool);
}
