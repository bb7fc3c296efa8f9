import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { EmulatorSite } from '../data.js';
import { applicationError, parseRequest, siteOf, type RouteContext } from '../http.js';

const SYSTEM = ['_id', '_createdDate', '_updatedDate', '_owner'];

/**
 * A collection's fields, derived from its items (the emulator keeps no schema). ASSUMPTION: types are
 * inferred from values (TEXT, NUMBER, BOOLEAN, DATETIME); system fields as Wix names them.
 */
function fieldsOf(items: Iterable<Record<string, unknown>>) {
  const types = new Map<string, string>();
  for (const item of items) {
    for (const [key, value] of Object.entries(item)) {
      if (SYSTEM.includes(key) || types.has(key)) continue;
      types.set(
        key,
        typeof value === 'number'
          ? 'NUMBER'
          : typeof value === 'boolean'
            ? 'BOOLEAN'
            : value && typeof value === 'object' && '$date' in value
              ? 'DATETIME'
              : 'TEXT',
      );
    }
  }
  return [
    { key: '_id', displayName: 'ID', type: 'TEXT', systemField: true, readOnly: true },
    { key: '_createdDate', displayName: 'Created Date', type: 'DATETIME', systemField: true, readOnly: true },
    { key: '_updatedDate', displayName: 'Updated Date', type: 'DATETIME', systemField: true, readOnly: true },
    { key: '_owner', displayName: 'Owner', type: 'TEXT', systemField: true, readOnly: true },
    ...[...types].map(([key, type]) => ({
      key,
      displayName: key,
      type,
      systemField: false,
      readOnly: false,
      required: false,
    })),
  ];
}

function collection(site: EmulatorSite, id: string) {
  const found = site.collections.get(id);
  if (!found) {
    throw applicationError(404, 'WDE0025', `The ${id} collection does not exist.`, { collectionId: id });
  }
  return found;
}

const itemBody = z.object({
  dataCollectionId: z.string().min(1),
  dataItem: z.object({
    id: z.string().min(1).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** Wix Data: get a collection (fields), insert and save items. */
export function cmsWriteRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.get('/wix-data/v2/collections/:id', (req, res) => {
    const items = collection(siteOf(res), req.params.id);
    res.json({
      collection: {
        id: req.params.id,
        displayName: req.params.id,
        collectionType: 'NATIVE',
        fields: fieldsOf(items.values()),
      },
    });
  });

  for (const mode of ['insert', 'save'] as const) {
    router.post(mode === 'insert' ? '/wix-data/v2/items' : '/wix-data/v2/items/save', (req, res) => {
      const body = parseRequest(itemBody, req.body);
      const items = collection(siteOf(res), body.dataCollectionId);
      const id = body.dataItem.id ?? randomUUID();
      const existing = items.get(id);
      // ASSUMPTION: Wix's code for inserting an existing id is WDE0074 ("item already exists").
      if (existing && mode === 'insert')
        throw applicationError(409, 'WDE0074', `An item with _id ${id} already exists`);
      const now = { $date: ctx.isoNow() };
      const data = {
        ...body.dataItem.data,
        _id: id,
        _createdDate: existing?._createdDate ?? now,
        _updatedDate: now,
        _owner: existing?._owner ?? 'c0ffee00-5eed-4a11-b0a7-0000000000e1',
      };
      items.set(id, data);
      res.json({ dataItem: { id, dataCollectionId: body.dataCollectionId, data } });
    });
  }
  return router;
}
