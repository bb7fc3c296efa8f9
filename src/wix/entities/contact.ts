import { z } from 'zod';

/**
 * The Wix Contact v4 (`wix.contacts.v4.contact`): one model shared by webhook parsing, the resources,
 * the compact tool views and the handler facts. Loose: fields we do not read are kept as Wix sent them;
 * Wix omits empty fields, so everything but `id` may be absent (or null).
 *
 * Source of every field: `@wix/auto_sdk_crm_contacts` typings (`Contact`), checked by
 * test/wix/conformance/fields.types.ts. A Contact has id, revision, source, createdDate, updatedDate,
 * lastActivity, primaryInfo, info, primaryEmail, primaryPhone — and **no `memberInfo`**: membership
 * shows in `info.extendedFields.items` under the `members.` namespace (see {@link contactMembership}).
 */

/**
 * Every `source.sourceType` Wix publishes (`ContactSourceTypeWithLiterals`, @wix/auto_sdk_crm_contacts
 * 1.0.1375). There is no `ECOM`: a checkout creates contacts with `WIX_STORES` (or the app's own type).
 */
export const contactSourceTypes = [
  'OTHER',
  'ADMIN',
  'WIX_APP',
  'IMPORT',
  'THIRD_PARTY',
  'WIX_BOOKINGS',
  'WIX_CHAT',
  'WIX_EMAIL_MARKETING',
  'WIX_EVENTS',
  'WIX_FORMS',
  'WIX_GROUPS',
  'WIX_HOTELS',
  'WIX_MARKET_PLACE',
  'WIX_MUSIC',
  'WIX_RESTAURANTS',
  'WIX_SITE_MEMBERS',
  'WIX_STORES',
  'WIX_CODE',
  'HOPP',
] as const;
export type ContactSourceType = (typeof contactSourceTypes)[number];

const items = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item).nullish() });
/** Wix omits empty fields; a null is read as absent rather than refused (a webhook is never lost to it). */
const text = () => z.string().nullish();

/** Contact v4 as Wix sends it (webhooks) and answers it (Get/Query Contacts). */
export const contactSchema = z.looseObject({
  id: z.string().min(1),
  revision: z.number().nullish(),
  /** How the contact was created; `sourceType` is one of {@link contactSourceTypes} (kept as a string). */
  source: z.looseObject({ sourceType: text(), appId: text() }).nullish(),
  createdDate: text(),
  updatedDate: text(),
  lastActivity: z.looseObject({ activityDate: text(), activityType: text() }).nullish(),
  primaryInfo: z.looseObject({ email: text(), phone: text() }).nullish(),
  info: z
    .looseObject({
      name: z.looseObject({ first: text(), last: text() }).nullish(),
      emails: items(
        z.looseObject({
          email: text(),
          tag: text(),
          primary: z.boolean().nullish(),
        }),
      ).nullish(),
      phones: items(
        z.looseObject({
          phone: text(),
          e164Phone: text(),
          countryCode: text(),
          tag: text(),
          primary: z.boolean().nullish(),
        }),
      ).nullish(),
      company: text(),
      jobTitle: text(),
      labelKeys: items(z.string()).nullish(),
      /** Extended fields by key: `custom.*` (site-defined), `members.*`, `emailSubscriptions.*`, … */
      extendedFields: z.looseObject({ items: z.record(z.string(), z.unknown()).nullish() }).nullish(),
    })
    .nullish(),
});
export type WixContact = z.output<typeof contactSchema>;

/** The extended field that carries a contact's site membership status (e.g. `APPROVED`). */
export const MEMBERSHIP_STATUS_FIELD = 'members.membershipStatus';

/**
 * Whether the contact is a site member, read where Wix puts it: the `members.membershipStatus` extended
 * field (`info.extendedFields.items`, `members.` namespace). `status` is its value (e.g. `APPROVED`).
 */
export function contactMembership(contact: Pick<WixContact, 'info'>): {
  member: boolean;
  status: string | undefined;
} {
  const status = contact.info?.extendedFields?.items?.[MEMBERSHIP_STATUS_FIELD];
  return typeof status === 'string' && status !== ''
    ? { member: true, status }
    : { member: false, status: undefined };
}
