/**
 * Distinct, validly signed `order_created` webhooks built from the fixtures: fresh event ids and order
 * ids, spread over several site instance ids, signed RS256 with the test private key (iat = now,
 * exp = now + 1 h), exactly as Wix builds the body (src/webhooks/sign.ts).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadFixtures, type Fixture } from '../../src/sandbox/fixtures.js';
import { rs256Key, signWebhook, type DecodedWebhook } from '../../src/webhooks/sign.js';
import { repoRoot, testKeyPaths } from './common.js';

type Json = Record<string, unknown>;

export const fixturesDir = join(repoRoot, 'fixtures/wix');

/** The order_created fixtures that the service publishes (10 of them, 6–20 KB each). */
export function orderFixtures(): Fixture[] {
  return loadFixtures([fixturesDir]).filter(
    (f) => f.expect?.outcome === 'published' && f.webhook.eventType === 'wix.ecom.v1.order_created',
  );
}

/** A stable uuid-shaped instance id for synthetic site `i`. */
export const siteId = (i: number) => `b3a7c0de-be70-4c0f-9e3a-${String(i).padStart(12, '0')}`;

// kafkajs's default (Java-compatible murmur2) partitioner, which the service's producer uses.
const murmur2 = createRequire(import.meta.url)('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: string,
) => number;
const partitionOf = (key: string, partitions: number) => (murmur2(key) & 0x7fffffff) % partitions;

/**
 * `count` site ids spread evenly over `partitions` Kafka partitions (the mock broker makes 4), so that a
 * handful of sites does not all hash to one or two partitions (the first 8 of `siteId(i)` land on only
 * two of four). Real traffic from many sites spreads by itself.
 */
export function balancedSiteIds(count: number, partitions = 4): string[] {
  const perPartition = Math.ceil(count / partitions);
  const used = new Array<number>(partitions).fill(0);
  const ids: string[] = [];
  for (let i = 0; ids.length < count; i++) {
    const id = siteId(i);
    const p = partitionOf(id, partitions);
    if (used[p]! < perPartition) {
      used[p]!++;
      ids.push(id);
    }
  }
  return ids;
}

export interface Buyer {
  contactId: string;
  email: string;
}

/**
 * A copy of a fixture order with a new event id, order id and site, and optionally another buyer; the
 * entity form (entity / entityAsJson) is kept.
 */
export function cloneOrder(
  fixture: Fixture,
  ids: { eventId: string; orderId: string; instanceId: string; buyer?: Buyer },
): Fixture {
  const webhook = structuredClone(fixture.webhook) as DecodedWebhook;
  webhook.instanceId = ids.instanceId;
  const data = webhook.data as Json;
  data.id = ids.eventId;
  data.entityId = ids.orderId;
  data.eventTime = new Date().toISOString();
  const created = data.createdEvent as Json;
  const edit = (entity: Json) => {
    entity.id = ids.orderId;
    const buyerInfo = entity.buyerInfo as Json | undefined;
    if (ids.buyer && buyerInfo) {
      buyerInfo.contactId = ids.buyer.contactId;
      buyerInfo.email = ids.buyer.email;
      if (buyerInfo.memberId) buyerInfo.memberId = ids.buyer.contactId;
      if (buyerInfo.visitorId) buyerInfo.visitorId = ids.buyer.contactId;
    }
    return entity;
  };
  if (created.entity) edit(created.entity as Json);
  else if (typeof created.entityAsJson === 'string')
    created.entityAsJson = JSON.stringify(edit(JSON.parse(created.entityAsJson) as Json));
  else if (created.entityAsJson) edit(created.entityAsJson as Json);
  return { ...fixture, name: `${fixture.name}#${ids.eventId}`, webhook };
}

/**
 * `count` clones cycling through the order fixtures and `sites` site ids (balanced over 4 partitions).
 * With `freshBuyers`, four orders in five come from a new buyer and the fifth from the buyer of an
 * earlier clone on the same site (a repeat customer), so buyers' order histories stay short however many
 * events are sent; without it the fixtures' buyers repeat and their histories grow with every event.
 */
export function orderClones(count: number, sites: number, o: { freshBuyers?: boolean } = {}): Fixture[] {
  const base = orderFixtures();
  const siteIds = balancedSiteIds(sites);
  const buyers: Buyer[] = [];
  return Array.from({ length: count }, (_, i) => {
    let buyer: Buyer | undefined;
    if (o.freshBuyers) {
      const earlier = buyers[i - sites * 2];
      buyer =
        i % 5 === 4 && earlier
          ? earlier
          : { contactId: randomUUID(), email: `buyer-${randomUUID().slice(0, 8)}@example.com` };
      buyers.push(buyer);
    }
    return cloneOrder(base[i % base.length]!, {
      eventId: randomUUID(),
      orderId: randomUUID(),
      instanceId: siteIds[i % sites]!,
      ...(buyer ? { buyer } : {}),
    });
  });
}

export const eventIdOf = (f: Fixture) => (f.webhook.data as Json).id as string;

const key = () => rs256Key(readFileSync(testKeyPaths.privatePem, 'utf8'));

/** Signs the webhooks (≈0.6 ms each on this machine), valid for an hour. */
export async function signAll(webhooks: readonly Fixture[]): Promise<string[]> {
  const k = key();
  const now = new Date();
  const out: string[] = [];
  for (const f of webhooks) out.push(await signWebhook(f.webhook, k, { now, expiresInSec: 3600 }));
  return out;
}

/** Builds and signs `count` distinct order webhooks and writes them to `file` (one JWT per line). */
export async function writePool(
  file: string,
  count: number,
  sites = 64,
): Promise<{ bytes: number; ms: number }> {
  const started = performance.now();
  const tokens = await signAll(orderClones(count, sites));
  const text = tokens.join('\n') + '\n';
  writeFileSync(file, text);
  return { bytes: Buffer.byteLength(text), ms: Math.round(performance.now() - started) };
}

export interface PoolFile {
  file: string;
  count: number;
  bytes: number;
  /** 0 when an earlier file was reused. */
  signMs: number;
  reused: boolean;
}

/**
 * A pool file of `count` webhooks in the temp dir, reused when one of that size was written less than
 * 40 minutes ago (tokens are valid for an hour; every server under test starts with an empty store,
 * so reusing the same event ids across benchmarks is fine).
 */
export async function ensurePool(count: number): Promise<PoolFile> {
  const file = join(tmpdir(), `wea-bench-pool-${count}.jwt.txt`);
  if (existsSync(file) && Date.now() - statSync(file).mtimeMs < 40 * 60_000) {
    return { file, count, bytes: statSync(file).size, signMs: 0, reused: true };
  }
  const tmp = `${file}.${process.pid}.tmp`;
  const { bytes, ms } = await writePool(tmp, count);
  renameSync(tmp, file);
  return { file, count, bytes, signMs: ms, reused: false };
}

export function readPool(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}
