import type { WixBooking } from '../resources/bookings-query.js';
import { clip } from './compact.js';

/** A booking with the fields a model needs: who, what, when (UTC), status. Absent fields are omitted. */
export function bookingSummary(booking: WixBooking) {
  const contact = booking.contactDetails;
  const slot = booking.bookedEntity?.slot;
  const name = [contact?.firstName, contact?.lastName].filter(Boolean).join(' ');
  return {
    id: booking.id,
    status: booking.status,
    paymentStatus: booking.paymentStatus,
    title: clip(booking.bookedEntity?.title, 200),
    serviceId: slot?.serviceId,
    start: booking.startDate ?? undefined,
    end: booking.endDate ?? undefined,
    timezone: slot?.timezone ?? undefined,
    contactId: contact?.contactId ?? undefined,
    name: name || undefined,
    email: contact?.email ?? undefined,
    participants: booking.totalParticipants,
    createdDate: booking.createdDate ?? undefined,
  };
}
