import { Router } from 'express';
import { z } from 'zod';
import { applicationError, parseRequest, siteOf, type RouteContext } from '../http.js';
import { slugify, type Contact, type Label } from '../data.js';
import { runQuery } from './paging.js';

const queryBody = z.object({
  query: z
    .object({
      filter: z.record(z.string(), z.unknown()).optional(),
      sort: z
        .array(z.object({ fieldName: z.string(), order: z.enum(['ASC', 'DESC']).optional() }))
        .max(1)
        .optional(),
      paging: z
        .object({
          limit: z.number().int().min(0).max(1000).optional(),
          offset: z.number().int().min(0).optional(),
        })
        .optional(),
      fieldsets: z.array(z.string()).optional(),
      fields: z.array(z.string()).optional(),
    })
    .optional(),
  search: z.string().max(200).optional(),
});

const labelBody = z.object({
  displayName: z.string().trim().min(1).max(100),
  language: z.string().optional(),
});
const labelKeysBody = z.object({ labelKeys: z.array(z.string().min(1)).min(1).max(100) });

function contactNotFound(id: string) {
  return applicationError(404, 'CONTACT_NOT_FOUND', `Contact ${id} not found`);
}

/** Contacts v4 and contact labels. */
export function contactRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.post('/contacts/v4/contacts/query', (req, res) => {
    const { query = {}, search } = parseRequest(queryBody, req.body);
    const site = siteOf(res);
    let contacts = runQuery(
      [...site.contacts.values()],
      query.filter,
      query.sort ?? [{ fieldName: 'createdDate', order: 'DESC' }],
    );
    if (search) {
      const needle = search.toLowerCase();
      contacts = contacts.filter((c) =>
        JSON.stringify([c.info.name, c.primaryInfo]).toLowerCase().includes(needle),
      );
    }
    const offset = query.paging?.offset ?? 0;
    const page = contacts.slice(offset, offset + (query.paging?.limit ?? 50));
    res.json({ contacts: page, pagingMetadata: { count: page.length, offset, total: contacts.length } });
  });

  router.get('/contacts/v4/contacts/:id', (req, res) => {
    const contact = siteOf(res).contacts.get(String(req.params.id));
    if (!contact) throw contactNotFound(String(req.params.id));
    res.json({ contact });
  });

  // Find or create by display name. A different name whose key is taken (e.g. "VIP!" vs "VIP",
  // both custom.vip) is refused with 409: an emulator assumption, Wix documents no such case.
  router.post('/contacts/v4/labels', (req, res) => {
    const { displayName } = parseRequest(labelBody, req.body);
    const site = siteOf(res);
    const existing = [...site.labels.values()].find(
      (l) => l.displayName.toLowerCase() === displayName.toLowerCase(),
    );
    if (existing) {
      res.json({ label: existing, newLabel: false });
      return;
    }
    const key = `custom.${slugify(displayName) || 'label'}`;
    if (site.labels.has(key)) {
      throw applicationError(409, 'LABEL_ALREADY_EXISTS', `A label with key ${key} already exists`, { key });
    }
    const now = ctx.isoNow();
    const label: Label = {
      namespace: 'custom',
      key,
      displayName,
      labelType: 'USER_DEFINED',
      createdDate: now,
      updatedDate: now,
    };
    site.labels.set(key, label);
    res.json({ label, newLabel: true });
  });

  router.post('/contacts/v4/contacts/:id/labels', (req, res) => {
    const site = siteOf(res);
    const { labelKeys } = parseRequest(labelKeysBody, req.body);
    const contact: Contact | undefined = site.contacts.get(String(req.params.id));
    if (!contact) throw contactNotFound(String(req.params.id));
    const missing = labelKeys.filter((key) => !site.labels.has(key));
    if (missing.length > 0)
      throw applicationError(404, 'LABEL_NOT_FOUND', `Labels not found: ${missing.join(', ')}`, {
        labelKeys: missing,
      });
    const keys = new Set(contact.info.labelKeys.items);
    for (const key of labelKeys) keys.add(key);
    contact.info.labelKeys.items = [...keys];
    contact.revision += 1;
    contact.updatedDate = ctx.isoNow();
    res.json({ contact });
  });

  return router;
}
