import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../../src/calls/audit.js';
import { CONTACT_INTAKE_LABELS } from '../../src/builtin/contact-intake.js';
import { ORDER_TRIAGE_LABELS, orderTriage } from '../../src/builtin/order-triage.js';
import { signWebhook } from '../../src/webhooks/sign.js';
import { entityOf, eventIdOf, fixture, handledFixtures, startEmulators } from '../support/agent-env.js';
import { rsKey } from '../support/keys.js';
import { startTestService } from '../support/service.js';

type Emulators = Awaited<ReturnType<typeof startEmulators>>;
type TestService = Awaited<ReturnType<typeof startTestService>>;

async function deliver(t: TestService, name: string) {
  const res = await fetch(t.webhookUrl, {
    method: 'POST',
    body: await signWebhook(fixture(name).webhook, rsKey),
  });
  expect(res.status).toBe(200);
}
/** The finished runs of one event that `predicate` accepts, once the service has announced one. */
async function finished(
  t: TestService,
  name: string,
  predicate: (r: { status: string }) => boolean = () => true,
) {
  const eventId = eventIdOf(name);
  await t.runs.until((seen) => (seen.some((r) => r.eventId === eventId && predicate(r)) ? true : undefined), {
    timeoutMs: 30_000,
    what: `runs of ${name}`,
  });
  const runs = await t.service.agents!.audit.listRuns({ eventId });
  return runs.filter((r) => r.status !== 'running' && predicate(r));
}

describe('a hostile model (adversarial sandbox) against the policy', () => {
  let emu: Emulators;
  let t: TestService;
  const published = handledFixtures;
  const calls: ToolCallRecord[] = [];

  beforeAll(async () => {
    emu = await startEmulators({ llm: { mode: 'adversarial' } });
    t = await startTestService({ ...emu.env, CONTACT_INTAKE_WELCOME_DRAFT: 'true' });
    for (const f of published) await deliver(t, f.name);
    for (const f of published) {
      const runs = await finished(t, f.name);
      for (const run of runs) calls.push(...(await t.service.agents!.audit.getRun(run.id))!.calls);
    }
  }, 120_000);
  afterAll(async () => {
    await t.service.stop();
    await emu.close();
  });

  it('stops every run at a limit instead of looping forever', async () => {
    const runs = await t.service.agents!.audit.listRuns({ limit: 100 });
    expect(runs).toHaveLength(published.length);
    expect(runs.every((r) => r.status === 'limited')).toBe(true);
    expect(Math.max(...runs.map((r) => r.steps))).toBeLessThanOrEqual(8);
  });

  it('refuses and records every call to a tool the handler does not declare; none reaches Wix', () => {
    const declared: Record<string, string[]> = {
      'order-triage': t.service
        .agents!.definitions.find((d) => d.name === 'order-triage')!
        .tools.map((x) => x.name),
      'contact-intake': t.service
        .agents!.definitions.find((d) => d.name === 'contact-intake')!
        .tools.map((x) => x.name),
    };
    const undeclared = calls.filter((c) => !declared[c.handler]!.includes(c.tool));
    expect(undeclared.every((c) => c.status === 'refused' && c.access === 'unknown')).toBe(true);
    for (const name of ['cancel_order', 'refund_order', 'send_email', 'http_request']) {
      expect(undeclared.some((c) => c.tool === name)).toBe(true);
    }
    const paths = emu.wix.requests.map((r) => r.path);
    expect(paths.some((p) => /cancel|refund|email|meta-data/.test(p))).toBe(false);
  });

  it('refuses malformed and oversized arguments before any tool runs', () => {
    const invalid = calls.filter((c) => c.status === 'refused' && c.error?.startsWith('invalid arguments'));
    expect(invalid.map((c) => c.tool)).toEqual(
      expect.arrayContaining(['create_task', 'label_contact', 'get_order']),
    );
  });

  it('writes nothing beyond each handler’s purpose', () => {
    for (const f of published) {
      const e = entityOf(f) as { id: string; buyerInfo?: { contactId?: string } };
      const site = f.webhook.instanceId;
      const own = f.webhook.eventType.includes('order') ? e.buyerInfo?.contactId : e.id;
      const eventWrites = calls.filter(
        (c) => c.eventId === eventIdOf(f.name) && c.status === 'executed' && c.access === 'write',
      );
      for (const w of eventWrites) {
        const args = w.arguments as Record<string, unknown>;
        if (w.tool === 'label_contact') {
          expect(args.contactId, f.name).toBe(own);
          expect(
            (args.labels as string[]).every((l) =>
              [...ORDER_TRIAGE_LABELS, ...CONTACT_INTAKE_LABELS].includes(l.toLowerCase()),
            ),
          ).toBe(true);
        }
        if (w.tool === 'add_order_note') expect(args.orderId, f.name).toBe(e.id);
        if (w.tool === 'send_inbox_message')
          expect(args).toMatchObject({ contactId: own, visibility: 'staff' });
      }
      expect(eventWrites.filter((w) => w.tool === 'add_order_note').length, f.name).toBeLessThanOrEqual(1);
      expect(eventWrites.filter((w) => w.tool === 'label_contact').length, f.name).toBeLessThanOrEqual(1);
      // And in Wix itself: notes only on this order, labels only on the event's own contact.
      for (const w of emu.wix.writes.filter((x) => x.instanceId === site && x.status < 300)) {
        const label = /^\/contacts\/v4\/contacts\/([^/]+)\/labels$/.exec(w.path);
        if (label)
          expect(
            calls.some(
              (c) =>
                c.tool === 'label_contact' &&
                c.status === 'executed' &&
                (c.arguments as { contactId: string }).contactId === label[1],
            ),
          ).toBe(true);
      }
    }
    const strangers = emu.wix.writes.filter((w) => w.path.includes('00000000-0000-4000-8000-000000000bad'));
    expect(strangers).toEqual([]);
    const notes = emu.wix.writes.filter((w) => w.path.endsWith('/activities/add') && w.status < 300);
    expect(notes.length).toBeLessThanOrEqual(
      published.filter((f) => f.webhook.eventType.includes('order')).length,
    );
  });
});

describe('run limits', () => {
  it('stops a model that burns its token budget', async () => {
    const emu = await startEmulators({ llm: { mode: 'adversarial', minTokensPerAnswer: 40_000 } });
    const t = await startTestService(emu.env);
    try {
      await deliver(t, 'order-approved.hostile-note');
      const [run] = await finished(t, 'order-approved.hostile-note');
      expect(run).toMatchObject({ status: 'limited', steps: 1 });
      expect(run!.error).toMatch(/tokens \d+\/30000/);
    } finally {
      await t.service.stop();
      await emu.close();
    }
  });

  it('ends a run whose model does not answer by the deadline, and retries the event later', async () => {
    const emu = await startEmulators();
    // Long enough for a run that is not held up to finish on a machine busy with the rest of the suite
    // (a 500 ms deadline once ended the second attempt too).
    const quick = { ...orderTriage, limits: { ...orderTriage.limits, deadlineMs: 2000 } };
    const t = await startTestService(emu.env, { definitions: [quick] });
    try {
      emu.llm.hangNext(1);
      await deliver(t, 'order-approved.pickup');
      const runs = await finished(t, 'order-approved.pickup', (r) => r.status === 'succeeded');
      const all = (
        await t.service.agents!.audit.listRuns({ eventId: eventIdOf('order-approved.pickup') })
      ).sort((a, b) => a.attempt - b.attempt);
      // The held-up first attempt ends at the deadline; the event is retried until a run succeeds.
      expect(all[0]).toMatchObject({ status: 'failed', attempt: 1 });
      for (const failed of all.slice(0, -1)) {
        expect(failed.status).toBe('failed');
        expect(failed.error).toMatch(/deadline of 2000 ms/);
      }
      expect(all.at(-1)).toMatchObject({ status: 'succeeded', attempt: all.length });
      expect(runs[0]?.attempt).toBe(all.length);
    } finally {
      await t.service.stop();
      await emu.close();
    }
  });
});
