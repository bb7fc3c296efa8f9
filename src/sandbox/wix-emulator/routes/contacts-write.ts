import { Router } from 'express';
import { z } from 'zod';
import { applicationError, parseRequest, siteOf, type RouteContext } from '../http.js';

const info = z.object({
  name: z.object({ first: z.string().max(100).optional(), last: z.string().max(100).optional() }).optional(),
  emails: z
    .object({ items: z.array(z.object({ tag: z.string().optional(), email: z.string().max(255) })).max(50) })
    .optional(),
  phones: z
    .object({ items: z.array(z.object({ tag: z.string().optional(), phone: z.string().max(50) })).max(50) })
    .optional(),
  company: z.string().max(1000).optional(),
  jobTitle: z.string().max(1000).optional(),
});
const createBody = z.object({ info, allowDuplicates: z.boolean().optional() });
const updateBody = z.object({ revision: z.number().int(), info, allowDuplicates: z.boolean().optional() });

/**
 * Contacts v4 create and update (`@wix/auto_sdk_crm_contacts@1.0.1375`: `POST /contacts/v4/contacts`,
 * `PATCH /contacts/v4/contacts/{contactId}` with `revision`). Errors by the codes those typings list:
 * 409 DUPLICATE_CONTACT_EXISTS (`data.duplicateContactId`), 409 CONTACT_ALREADY_CHANGED (stale revision),
 * 400 INSUFFICIENT_CONTACT_DATA, 404 CONTACT_NOT_FOUND. ASSUMPTION: an update replaces only the
 * fields it names (name, company, job title here).
 */
export function contactWriteRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.post('/contacts/v4/contacts', (req, res) => {
    const body = parseRequest(createBody, req.body);
    const site = siteOf(res);
    const email = body.info.emails?.items[0]?.email.toLowerCase();
    const phone = body.info.phones?.items[0]?.phone;
    if (!email && !phone && !body.info.name?.first && !body.info.name?.last) {
      throw applicationError(400, 'INSUFFICIENT_CONTACT_DATA', 'A contact needs a name, an email or a phone');
    }
    const duplicate = email
      ? [...site.contacts.values()].find((c) => c.primaryInfo.email === email)
      : undefined;
    if (duplicate && !body.allowDuplicates) {
      throw applicationError(409, 'DUPLICATE_CONTACT_EXISTS', 'A contact with this email exists', {
        duplicateContactId: duplicate.id,
      });
    }
    const contact = ctx.data.addContact(site.instanceId, {
      firstName: body.info.name?.first ?? '',
      ...(body.info.name?.last ? { lastName: body.info.name.last } : {}),
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
      ...(body.info.company ? { company: body.info.company } : {}),
    });
    if (body.info.jobTitle) (contact.info as Record<string, unknown>).jobTitle = body.info.jobTitle;
    res.json({ contact });
  });

  router.patch('/contacts/v4/contacts/:id', (req, res) => {
    const body = parseRequest(updateBody, req.body);
    const contact = siteOf(res).contacts.get(req.params.id);
    if (!contact) throw applicationError(404, 'CONTACT_NOT_FOUND', `Contact ${req.params.id} not found`);
    if (body.revision !== contact.revision) {
      throw applicationError(409, 'CONTACT_ALREADY_CHANGED', 'The contact was changed since this revision', {
        currentRevision: contact.revision,
      });
    }
    if (body.info.name)
      contact.info.name = { ...contact.info.name, ...body.info.name } as typeof contact.info.name;
    if (body.info.company !== undefined) contact.info.company = body.info.company;
    if (body.info.jobTitle !== undefined)
      (contact.info as Record<string, unknown>).jobTitle = body.info.jobTitle;
    contact.revision += 1;
    contact.updatedDate = ctx.isoNow();
    res.json({ contact });
  });

  return router;
}
