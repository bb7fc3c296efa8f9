import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { DecodedWebhook } from '../webhooks/sign.js';

const decodedSchema = z.object({ eventType: z.string(), instanceId: z.string(), data: z.unknown() }).loose();

const fixtureSchema = z.object({
  description: z.string().optional(),
  expect: z
    .object({
      status: z.number().int().optional(),
      outcome: z.string().optional(),
      type: z.string().optional(),
    })
    .optional(),
  envelope: decodedSchema,
});

export interface Fixture {
  file: string;
  name: string;
  description?: string;
  expect?: { status?: number; outcome?: string; type?: string };
  webhook: DecodedWebhook;
}

/** A copy of the fixture with a new Wix event id (`data.id`): handled again, not answered `duplicate`. */
export function withFreshEventId(fixture: Fixture): Fixture {
  const webhook = structuredClone(fixture.webhook);
  if (webhook.data && typeof webhook.data === 'object')
    (webhook.data as Record<string, unknown>).id = randomUUID();
  return { ...fixture, webhook };
}

/**
 * Reads fixtures from files and directories (`*.json`, sorted by name). A file is either
 * `{description, expect, envelope}` or a bare decoded envelope `{eventType, instanceId, data, identity?}`.
 */
export function loadFixtures(paths: readonly string[]): Fixture[] {
  const files = paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
  return files.map((file) => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const wrapped = fixtureSchema.safeParse(json);
    if (wrapped.success) {
      const { description, expect, envelope } = wrapped.data;
      return {
        file,
        name: basename(file, '.json'),
        ...(description ? { description } : {}),
        ...(expect ? { expect } : {}),
        webhook: envelope as DecodedWebhook,
      };
    }
    const bare = decodedSchema.safeParse(json);
    if (!bare.success)
      throw new Error(
        `${file}: neither a fixture {envelope} nor a decoded webhook {eventType, instanceId, data}`,
      );
    return { file, name: basename(file, '.json'), webhook: bare.data as DecodedWebhook };
  });
}
