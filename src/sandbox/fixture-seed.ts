/**
 * SANDBOX ONLY. Puts the entities of fixture webhooks into the Wix emulator, as if Wix had created the
 * order or contact just before sending the webhook: the sites, the contacts, the buyers, the ordered
 * products (with a mix of stock levels) and a purchase history for one buyer, so the handlers have
 * something real to look up.
 */
import type { Fixture } from './fixtures.js';
import { WIX_STORES_APP_ID, stableId, type Contact, type EmulatorData, type Order } from './wix-emulator.js';
import { asObject as obj, asString as str, type Json } from '../lib/json-shape.js';

function objectOf(value: unknown): Json | undefined {
  if (typeof value === 'string') {
    try {
      return obj(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return value ? obj(value) : undefined;
}

/** The entity a webhook carries: created, updated (current state), or an approved order's `body.order`. */
function createdEntity(fixture: Fixture): Json | undefined {
  const data = obj(fixture.webhook.data);
  const created = obj(data.createdEvent);
  const updated = obj(data.updatedEvent);
  const action = objectOf(obj(data.actionEvent).body);
  return (
    objectOf(created.entity) ??
    objectOf(created.entityAsJson) ??
    objectOf(updated.currentEntity) ??
    objectOf(updated.currentEntityAsJson) ??
    (action?.order ? obj(action.order) : undefined)
  );
}

/** Wix omits empty fields; the emulator's stored contacts always carry these lists. */
function normalizeContact(entity: Json): Contact {
  const contact = structuredClone(entity) as Json;
  const info = obj(contact.info);
  for (const list of ['emails', 'phones', 'addresses', 'labelKeys'] as const) {
    if (!Array.isArray(obj(info[list]).items)) info[list] = { items: [] };
  }
  if (!obj(info.extendedFields).items) info.extendedFields = { items: {} };
  if (!obj(info.name).first && !obj(info.name).last) info.name = { first: '' };
  contact.info = info;
  contact.primaryInfo = obj(contact.primaryInfo);
  return contact as Contact;
}

/** Stock levels given to fixture products in turn: most in stock, some low, one out. */
const STOCK = [40, 3, 25, 0, 60, 12];

export function seedFromFixtures(
  data: EmulatorData,
  fixtures: readonly Fixture[],
  options: { historyBuyerEmail?: string } = {},
) {
  const ensureSite = (instanceId: string, currency: string | undefined) => {
    if (!data.site(instanceId)) {
      data.addSite({
        instanceId,
        name: `Fixture site ${instanceId.slice(0, 8)}`,
        ...(currency ? { currency } : {}),
      });
    }
    return data.site(instanceId)!;
  };
  let productIndex = 0;
  const orders: { instanceId: string; order: Json }[] = [];

  for (const fixture of fixtures) {
    if (fixture.expect?.outcome !== 'published') continue;
    const entity = createdEntity(fixture);
    if (!entity || typeof entity.id !== 'string') continue;
    const instanceId = fixture.webhook.instanceId;
    const type = fixture.webhook.eventType;
    if (type.startsWith('wix.contacts.v4.contact_') && type !== 'wix.contacts.v4.contact_deleted') {
      const site = ensureSite(instanceId, undefined);
      if (!site.contacts.has(entity.id)) site.contacts.set(entity.id, normalizeContact(entity));
    }
    if (type.startsWith('wix.ecom.v1.order_')) {
      const site = ensureSite(instanceId, str(entity.currency));
      const buyer = obj(entity.buyerInfo);
      const details = obj(obj(entity.billingInfo).contactDetails);
      const contactId = str(buyer.contactId);
      if (contactId && !site.contacts.has(contactId)) {
        data.addContact(instanceId, {
          id: contactId,
          firstName: str(details.firstName) ?? 'Customer',
          ...(str(details.lastName) ? { lastName: str(details.lastName)! } : {}),
          ...(str(buyer.email) ? { email: str(buyer.email)! } : {}),
          ...(str(details.phone) ? { phone: str(details.phone)! } : {}),
          createdDaysAgo: 1,
        });
      }
      for (const item of Array.isArray(entity.lineItems) ? entity.lineItems.map(obj) : []) {
        const ref = obj(item.catalogReference);
        const id = str(ref.catalogItemId);
        if (!id || ref.appId !== WIX_STORES_APP_ID || site.products.has(id)) continue;
        const quantity = STOCK[productIndex++ % STOCK.length]!;
        data.addProduct(instanceId, {
          id,
          name: str(obj(item.productName).original) ?? 'Product',
          price: Number(str(obj(item.price).amount) ?? 10),
          quantity,
        });
      }
      orders.push({ instanceId, order: entity });
    }
  }

  // One loyal buyer with a purchase history, so the demo shows a VIP.
  const loyal = orders.find(
    ({ order }) =>
      str(obj(order.buyerInfo).email) === (options.historyBuyerEmail ?? 'daniel.brooks@example.com'),
  );
  if (loyal) {
    const contactId = str(obj(loyal.order.buyerInfo).contactId)!;
    const site = data.site(loyal.instanceId)!;
    const product = data.addProduct(loyal.instanceId, {
      id: stableId(`${loyal.instanceId}/product/espresso-machine`),
      name: 'Espresso Machine',
      price: 249,
      quantity: 8,
    });
    if (site.contacts.has(contactId)) {
      for (const daysAgo of [200, 120, 45]) {
        data.addOrder(loyal.instanceId, {
          contactId,
          items: [{ productId: product.id }],
          createdDaysAgo: daysAgo,
        });
      }
    }
  }
  // The fixture orders themselves, exactly as the webhooks carry them.
  for (const { instanceId, order } of orders) {
    const site = data.site(instanceId)!;
    site.orders.set(String(order.id), structuredClone(order) as Order);
  }
}
