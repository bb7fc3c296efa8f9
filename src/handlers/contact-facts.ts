import type { Json } from '../lib/json-shape.js';
import { contactMembership, contactSchema, type WixContact } from '../wix/entities/contact.js';

/** Reads a bus event's contact with the one Contact v4 model; an unreadable entity gives empty facts. */
function asContact(entity: Json): WixContact {
  const parsed = contactSchema.safeParse(entity);
  return parsed.success ? parsed.data : { id: typeof entity.id === 'string' ? entity.id : '' };
}

const clip = (text: string | null | undefined, max: number) => text?.slice(0, max) ?? undefined;

/** The facts of a Contact v4 a model needs (fields as in src/wix/entities/contact.ts). */
export function contactFacts(entity: Json) {
  const contact = asContact(entity);
  const info = contact.info;
  const membership = contactMembership(contact);
  return {
    contactId: contact.id || undefined,
    createdDate: contact.createdDate ?? undefined,
    name: { first: clip(info?.name?.first, 200), last: clip(info?.name?.last, 200) },
    company: clip(info?.company, 200),
    emails: (info?.emails?.items ?? [])
      .map((e) => e.email)
      .filter((e): e is string => Boolean(e))
      .slice(0, 10),
    phones: (info?.phones?.items ?? [])
      .map((p) => p.e164Phone ?? p.phone)
      .filter((p): p is string => Boolean(p))
      .slice(0, 10),
    source: {
      sourceType: contact.source?.sourceType ?? undefined,
      appId: contact.source?.appId ?? undefined,
    },
    /** From `info.extendedFields.items["members.membershipStatus"]` (Contact v4 has no memberInfo). */
    member: membership.member,
    membershipStatus: membership.status,
    // Site-defined fields (e.g. what a form asked): customer text, shown as data.
    customFields: Object.fromEntries(
      Object.entries(info?.extendedFields?.items ?? {})
        .filter(([key, value]) => key.startsWith('custom.') && typeof value === 'string')
        .slice(0, 10)
        .map(([key, value]) => [key, (value as string).slice(0, 500)]),
    ),
    labels: (info?.labelKeys?.items ?? []).filter((l): l is string => typeof l === 'string'),
  };
}

/**
 * Which source label a new contact gets, from how Wix says it was created (`source.sourceType`, one of
 * `contactSourceTypes`; there is no `ECOM` — checkout contacts come as `WIX_STORES`).
 */
export function sourceLabel(facts: ReturnType<typeof contactFacts>): string {
  if (facts.member || facts.source.sourceType === 'WIX_SITE_MEMBERS') return 'member-signup';
  switch (facts.source.sourceType) {
    case 'WIX_FORMS':
      return 'from-form';
    case 'WIX_STORES':
    case 'WIX_BOOKINGS':
      return 'from-checkout';
    case 'IMPORT':
      return 'from-import';
    default:
      return 'from-other';
  }
}
