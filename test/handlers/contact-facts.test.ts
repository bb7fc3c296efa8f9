import { describe, expect, it } from 'vitest';
import { contactFacts, sourceLabel } from '../../src/handlers/contact-facts.js';
import { loadFixtures } from '../../src/sandbox/fixtures.js';
import { fixturesDir } from '../support/keys.js';

const entityOf = (name: string) => {
  const fixture = loadFixtures([fixturesDir]).find((f) => f.name === name);
  const data = fixture!.webhook.data as { createdEvent: { entity: Record<string, unknown> } };
  return data.createdEvent.entity;
};

describe('contactFacts', () => {
  it('recognises a member contact shaped as Wix sends it (members.* extended fields, no memberInfo)', () => {
    const entity = entityOf('contact-created.member-signup');
    expect(entity).not.toHaveProperty('memberInfo');
    const facts = contactFacts(entity);
    expect(facts).toMatchObject({ member: true, membershipStatus: 'APPROVED' });
    expect(sourceLabel(facts)).toBe('member-signup');
  });

  it('a member is recognised by the extended field alone, whatever the source', () => {
    const facts = contactFacts({
      id: 'c1',
      source: { sourceType: 'WIX_APP' },
      info: { extendedFields: { items: { 'members.membershipStatus': 'PENDING' } } },
    });
    expect(facts).toMatchObject({ member: true, membershipStatus: 'PENDING' });
  });

  it('a checkout contact is not a member and is labelled from-checkout (WIX_STORES; there is no ECOM)', () => {
    const facts = contactFacts(entityOf('contact-created.checkout'));
    expect(facts.member).toBe(false);
    expect(facts.source.sourceType).toBe('WIX_STORES');
    expect(sourceLabel(facts)).toBe('from-checkout');
    expect(sourceLabel({ ...facts, source: { sourceType: 'ECOM', appId: undefined } })).toBe('from-other');
  });
});
