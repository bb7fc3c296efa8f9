import type { WixMember } from '../resources/members.js';

/** A member with the fields a model needs (no photos, no raw contact). */
export function memberSummary(member: WixMember) {
  const name = [member.contact?.firstName, member.contact?.lastName].filter(Boolean).join(' ');
  return {
    id: member.id,
    name: name || undefined,
    nickname: member.profile?.nickname ?? undefined,
    loginEmail: member.loginEmail ?? undefined,
    contactId: member.contactId ?? undefined,
    status: member.status,
    privacyStatus: member.privacyStatus,
    createdDate: member.createdDate ?? undefined,
    lastLoginDate: member.lastLoginDate ?? undefined,
  };
}
