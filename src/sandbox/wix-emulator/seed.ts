import { seedStudioBookings } from './bookings-seed.js';
import { EmulatorData, stableId } from './data.js';

/** Instance ids of the seeded sites. */
export const EMULATOR_INSTANCES = {
  /** "Bean & Bloom Coffee": Stores catalog V3, USD, the demo's main site. */
  coffee: 'b3a7c0de-0001-4c0f-9e3a-5eed00000001',
  /** "Old Mill Bakery": Stores catalog V1 (quantities), EUR. */
  bakery: 'b3a7c0de-0002-4c0f-9e3a-5eed00000002',
  /** "Fresh Start Studio": V3, almost empty store; Wix Bookings with a few bookings. */
  studio: 'b3a7c0de-0003-4c0f-9e3a-5eed00000003',
} as const;

const c = EMULATOR_INSTANCES.coffee;
const b = EMULATOR_INSTANCES.bakery;
const s = EMULATOR_INSTANCES.studio;

/** Ids of seeded entities that tests and the demo refer to. Stable across runs. */
export const SEED_IDS = {
  coffee: {
    contacts: {
      /** Repeat customer: five orders over five months. */
      jane: stableId(`${c}/contact/jane.doe@example.com`),
      /** VIP (label custom.vip), lifetime spend above 1,500 USD. */
      marcus: stableId(`${c}/contact/marcus.chen@example.com`),
      /** First-time buyer; her new order holds an out-of-stock and a low-stock product. */
      priya: stableId(`${c}/contact/priya.patel@example.com`),
      /** Phone only, label custom.wholesale. */
      tom: stableId(`${c}/contact/+4915123456789`),
      /** Newsletter subscriber without orders. */
      sofia: stableId(`${c}/contact/sofia.rossi@example.com`),
    },
    products: {
      yirgacheffe: stableId(`${c}/product/Ethiopian Yirgacheffe 500g`),
      houseBlend: stableId(`${c}/product/House Blend 1kg`),
      /** Out of stock. */
      grinder: stableId(`${c}/product/Espresso Grinder Pro`),
      /** Low stock (V3: PARTIALLY_OUT_OF_STOCK). */
      pourOver: stableId(`${c}/product/Ceramic Pour-Over Set`),
      giftCard: stableId(`${c}/product/Gift Card`),
    },
    orders: {
      /** Priya's new order (10013): grinder (out of stock) + pour-over set (low stock), with a buyer note. */
      priyaNew: stableId(`${c}/order/10013`),
      /** Jane's latest order (10005), paid, not fulfilled. */
      janeLatest: stableId(`${c}/order/10005`),
    },
  },
  bakery: {
    contacts: {
      anna: stableId(`${b}/contact/anna.schmidt@example.de`),
      lukas: stableId(`${b}/contact/lukas.weber@example.de`),
      emma: stableId(`${b}/contact/emma.mueller@example.de`),
    },
    products: {
      starterKit: stableId(`${b}/product/Sourdough Starter Kit`),
      /** Low stock: 3 left. */
      ryeFlour: stableId(`${b}/product/Rye Flour 5kg`),
      /** Out of stock. */
      proofingBasket: stableId(`${b}/product/Proofing Basket`),
      breadKnife: stableId(`${b}/product/Bread Knife`),
    },
  },
  studio: {
    contacts: {
      leo: stableId(`${s}/contact/leo.martin@example.com`),
      mia: stableId(`${s}/contact/mia.wagner@example.com`),
    },
    // Wix Bookings (bookings-seed.ts).
    services: {
      privateSession: stableId(`${s}/service/private`),
      morningYoga: stableId(`${s}/service/yoga`),
    },
    sessions: {
      yogaMarch2: stableId(`${s}/event/yoga-03-02`),
      yogaMarch9: stableId(`${s}/event/yoga-03-09`),
    },
    bookings: {
      leoYoga: stableId(`${s}/booking/leo-yoga`),
      leoPrivate: stableId(`${s}/booking/leo-private`),
      miaYogaCanceled: stableId(`${s}/booking/mia-yoga`),
      miaPrivatePending: stableId(`${s}/booking/mia-private`),
    },
  },
} as const;

function seedCoffee(data: EmulatorData): void {
  data.addSite({ instanceId: c, name: 'Bean & Bloom Coffee', catalogVersion: 'V3_CATALOG', currency: 'USD' });
  data.addLabel(c, 'VIP', { key: 'custom.vip' });
  data.addLabel(c, 'Wholesale', { key: 'custom.wholesale' });
  data.addLabel(c, 'Contacted Me', { key: 'contacts.contacted-me', system: true });

  const p = SEED_IDS.coffee.products;
  data.addProduct(c, { name: 'Ethiopian Yirgacheffe 500g', price: 18, quantity: 120 });
  data.addProduct(c, { name: 'House Blend 1kg', price: 24, quantity: 80 });
  data.addProduct(c, { name: 'Espresso Grinder Pro', price: 249, quantity: 0 });
  data.addProduct(c, {
    name: 'Ceramic Pour-Over Set',
    price: 39,
    quantity: 3,
    availability: 'PARTIALLY_OUT_OF_STOCK',
  });
  data.addProduct(c, { name: 'Gift Card', price: 50, trackInventory: false });

  const jane = data.addContact(c, {
    firstName: 'Jane',
    lastName: 'Doe',
    email: 'jane.doe@example.com',
    phone: '+12125550147',
    createdDaysAgo: 160,
  });
  const marcus = data.addContact(c, {
    firstName: 'Marcus',
    lastName: 'Chen',
    email: 'marcus.chen@example.com',
    phone: '+14155550199',
    company: 'Chen Hospitality Group',
    labelKeys: ['custom.vip'],
    createdDaysAgo: 400,
  });
  const priya = data.addContact(c, {
    firstName: 'Priya',
    lastName: 'Patel',
    email: 'priya.patel@example.com',
    createdDaysAgo: 0,
  });
  data.addContact(c, {
    firstName: 'Tom',
    lastName: 'Becker',
    phone: '+4915123456789',
    labelKeys: ['custom.wholesale'],
    createdDaysAgo: 90,
  });
  const sofia = data.addContact(c, {
    firstName: 'Sofia',
    lastName: 'Rossi',
    email: 'sofia.rossi@example.com',
    createdDaysAgo: 30,
    // A site member: Contact v4 carries membership in this extended field (there is no memberInfo).
    extendedFields: { 'members.membershipStatus': 'APPROVED' },
  });

  // 10001-10004: Jane's past orders; 10005: her latest, not yet shipped.
  for (const [days, items] of [
    [150, [{ productId: p.yirgacheffe, quantity: 2 }]],
    [110, [{ productId: p.houseBlend }]],
    [70, [{ productId: p.yirgacheffe }, { productId: p.houseBlend }]],
    [35, [{ productId: p.yirgacheffe, quantity: 3 }]],
  ] as const) {
    data.addOrder(c, { contactId: jane.id, items: [...items], createdDaysAgo: days });
  }
  data.addOrder(c, {
    contactId: jane.id,
    items: [{ productId: p.houseBlend, quantity: 2 }],
    fulfillmentStatus: 'NOT_FULFILLED',
    createdDaysAgo: 1,
  });
  // 10006-10011: Marcus, a café owner ordering grinders and beans in bulk.
  for (const [days, items] of [
    [380, [{ productId: p.grinder, quantity: 2 }]],
    [300, [{ productId: p.houseBlend, quantity: 10 }]],
    [210, [{ productId: p.grinder }, { productId: p.pourOver, quantity: 4 }]],
    [120, [{ productId: p.houseBlend, quantity: 12 }]],
    [60, [{ productId: p.yirgacheffe, quantity: 15 }]],
    [14, [{ productId: p.houseBlend, quantity: 8 }]],
  ] as const) {
    data.addOrder(c, { contactId: marcus.id, items: [...items], createdDaysAgo: days });
  }
  // 10012: an abandoned checkout (INITIALIZED, hidden from Search Orders by default).
  data.addOrder(c, {
    contactId: sofia.id,
    items: [{ productId: p.giftCard }],
    status: 'INITIALIZED',
    paymentStatus: 'NOT_PAID',
    fulfillmentStatus: 'NOT_FULFILLED',
    createdDaysAgo: 2,
  });
  // 10013: Priya's first order.
  data.addOrder(c, {
    contactId: priya.id,
    items: [{ productId: p.grinder }, { productId: p.pourOver }],
    fulfillmentStatus: 'NOT_FULFILLED',
    buyerNote: "It's a birthday present for my dad on Friday, could you gift-wrap it please?",
    createdDaysAgo: 0,
  });

  for (const item of [
    {
      question: 'How long does shipping take?',
      answer: 'Standard shipping takes 3-5 business days within the US.',
      topic: 'shipping',
    },
    {
      question: 'Do you gift-wrap?',
      answer: 'Yes, free of charge: mention it in the order note.',
      topic: 'orders',
    },
    {
      question: 'When is the Espresso Grinder Pro back in stock?',
      answer: 'The next shipment is expected in about two weeks.',
      topic: 'stock',
    },
    {
      question: 'What is your return policy?',
      answer: 'Unopened items can be returned within 30 days.',
      topic: 'returns',
    },
  ]) {
    data.addDataItem(c, 'FAQ', item);
  }
}

function seedBakery(data: EmulatorData): void {
  data.addSite({ instanceId: b, name: 'Old Mill Bakery', catalogVersion: 'V1_CATALOG', currency: 'EUR' });
  data.addLabel(b, 'VIP', { key: 'custom.vip' });
  const p = SEED_IDS.bakery.products;
  data.addProduct(b, { name: 'Sourdough Starter Kit', price: 29, quantity: 42 });
  data.addProduct(b, { name: 'Rye Flour 5kg', price: 14.5, quantity: 3 });
  data.addProduct(b, { name: 'Proofing Basket', price: 19, quantity: 0 });
  data.addProduct(b, { name: 'Bread Knife', price: 35, trackInventory: false });

  const anna = data.addContact(b, {
    firstName: 'Anna',
    lastName: 'Schmidt',
    email: 'anna.schmidt@example.de',
    phone: '+4930123456',
    createdDaysAgo: 200,
  });
  const lukas = data.addContact(b, {
    firstName: 'Lukas',
    lastName: 'Weber',
    email: 'lukas.weber@example.de',
    labelKeys: ['custom.vip'],
    createdDaysAgo: 500,
  });
  const emma = data.addContact(b, {
    firstName: 'Emma',
    lastName: 'Müller',
    email: 'emma.mueller@example.de',
    createdDaysAgo: 0,
  });
  for (const days of [180, 90, 20]) {
    data.addOrder(b, {
      contactId: anna.id,
      items: [{ productId: p.ryeFlour, quantity: 2 }],
      createdDaysAgo: days,
      shipping: 4.9,
    });
  }
  for (const days of [480, 360, 240, 100, 10]) {
    data.addOrder(b, {
      contactId: lukas.id,
      items: [
        { productId: p.starterKit, quantity: 6 },
        { productId: p.breadKnife, quantity: 4 },
      ],
      createdDaysAgo: days,
      shipping: 0,
    });
  }
  data.addOrder(b, {
    contactId: emma.id,
    items: [{ productId: p.proofingBasket }, { productId: p.ryeFlour }],
    fulfillmentStatus: 'NOT_FULFILLED',
    createdDaysAgo: 0,
    shipping: 4.9,
  });
  data.addDataItem(b, 'FAQ', {
    question: 'Do you ship abroad?',
    answer: 'We ship within the EU.',
    topic: 'shipping',
  });
  data.addDataItem(b, 'FAQ', { question: 'Is the starter kit vegan?', answer: 'Yes.', topic: 'products' });
}

function seedStudio(data: EmulatorData): void {
  data.addSite({ instanceId: s, name: 'Fresh Start Studio', catalogVersion: 'V3_CATALOG', currency: 'USD' });
  data.addContact(s, {
    firstName: 'Leo',
    lastName: 'Martin',
    email: 'leo.martin@example.com',
    createdDaysAgo: 3,
  });
  data.addProduct(s, { name: 'Yoga Mat', price: 45, quantity: 10 });
  data.addContact(s, { firstName: 'Mia', lastName: 'Wagner', email: 'mia.wagner@example.com' });
  seedStudioBookings(data.site(s)!, SEED_IDS.studio);
}

/** The default data: three sites with realistic customers, orders, products and an FAQ collection. */
export function seedDefaultSites(data: EmulatorData): void {
  seedCoffee(data);
  seedBakery(data);
  seedStudio(data);
}
