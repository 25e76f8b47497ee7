// Reading the mails the SMTP peer received as a person would: who they went to, the key they
// were sent under, and the calendar invite they carry (parsed with ical.js).
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { expect } from 'vitest';
import { addresses } from './smtp.js';

export const toOf = (m: ParsedMail) => addresses(m.to);
export const ccOf = (m: ParsedMail) => addresses(m.cc);
/** The idempotency key the mail was sent under (the X-Arscykel-Key header). */
export const keyOf = (m: ParsedMail) => String(m.headers.get('x-arscykel-key') ?? '');

export interface Cal {
  method: string;
  uid: string;
  sequence: number;
  status: string;
  start: Date;
  end: Date;
  attendees: string[];
}

/** The text/calendar part of a mail, parsed with ical.js (its VTIMEZONE registered first). */
export function calendarOf(mail: ParsedMail): Cal | undefined {
  const part = mail.attachments.find((a) => a.contentType === 'text/calendar');
  if (!part) return undefined;
  const vcal = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
  for (const vtz of vcal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  const events = vcal.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  const ev = new ICAL.Event(events[0]);
  return {
    method: String(vcal.getFirstPropertyValue('method')),
    uid: ev.uid,
    sequence: ev.sequence,
    status: String(events[0].getFirstPropertyValue('status')),
    start: ev.startDate.toJSDate(),
    end: ev.endDate.toJSDate(),
    attendees: events[0].getAllProperties('attendee').map((p) => String(p.getFirstValue()).replace(/^mailto:/i, '').toLowerCase()),
  };
}
