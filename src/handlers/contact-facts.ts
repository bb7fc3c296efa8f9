import { asObject as obj, asString as str, type Json } from '../lib/json-shape.js';
const items = (v: unknown) => (Array.isArray(obj(v).items) ? (obj(v).items as unknown[]).map(obj) : []);

/** The facts of a Contact v4 a model needs. */
export function contactFacts(entity: Json) {
  const info = obj(entity.info);
  const name = obj(info.name);
  const source = obj(entity.source);
  return {
    contactId: str(entity.id),
    createdDate: str(entity.createdDate),
    name: { first: str(name.first)?.slice(0, 200), last: str(name.last)?.slice(0, 200) },
    company: str(info.company)?.slice(0, 200),
    emails: items(info.emails)
      .map((e) => str(e.email))
      .filter(Boolean)
      .slice(0, 10),
    phones: items(info.phones)
      .map((p) => str(p.e164Phone) ?? str(p.phone))
      .filter(Boolean)
      .slice(0, 10),
    source: { sourceType: str(source.sourceType), appId: str(source.appId) },
    member: Object.keys(obj(entity.memberInfo)).length > 0,
    // Site-defined fields (e.g. what a form asked): customer text, shown as data.
    customFields: Object.fromEntries(
      Object.entries(obj(obj(info.extendedFields).items))
        .filter(([key, value]) => key.startsWith('custom.') && typeof value === 'string')
        .slice(0, 10)
        .map(([key, value]) => [key, (value as string).slice(0, 500)]),
    ),
    labels: (Array.isArray(obj(info.labelKeys).items) ? (obj(info.labelKeys).items as unknown[]) : []).filter(
      (l): l is string => typeof l === 'string',
    ),
  };
}

/** Which source label a new contact gets, from how Wix says it was created. */
export function sourceLabel(facts: ReturnType<typeof contactFacts>): string {
  if (facts.member || facts.source.sourceType === 'WIX_SITE_MEMBERS') return 'member-signup';
  switch (facts.source.sourceType) {
    case 'WIX_FORMS':
      return 'from-form';
    case 'WIX_STORES':
    case 'ECOM':
    case 'WIX_BOOKINGS':
      return 'from-checkout';
    case 'IMPORT':
      return 'from-import';
    default:
      return 'from-other';
  }
}
