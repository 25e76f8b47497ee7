/**
 * iCalendar (RFC 5545) output for Årscykel: iTIP invites (RFC 5546, METHOD:REQUEST / CANCEL)
 * for board and preparatory meetings, and subscribable feeds (METHOD:PUBLISH).
 *
 * Pure: no clock (the caller passes `dtstamp`), no network. The only side effect is that the
 * VTIMEZONE text for Europe/Stockholm is read once from @touch4it/ical-timezones' bundled zone
 * file and memoised.
 *
 * Built on ical-generator 10.2.0, working around its pitfalls (see OFFLINE.md):
 *  - A calendar-level time zone name makes DTSTAMP lose its `Z`, and a zone given to an event
 *    without a VTIMEZONE generator yields TZID-less local time. So the calendar gets a
 *    timezone object with `name: null` and only the VTIMEZONE generator; the zone is set per
 *    event, which writes `DTSTART;TZID=Europe/Stockholm:...` and leaves DTSTAMP in UTC.
 *  - A plain `Date` plus a zone takes its wall clock from the server's zone. So times are passed
 *    as luxon DateTimes, which ical-generator converts with `setZone(tzid)`.
 *  - An all-day `Date` takes its UTC date; all-day dates are passed as luxon DateTimes in UTC
 *    built from the 'YYYY-MM-DD' strings, so no conversion happens.
 *  - NAME / X-WR-CALNAME and X-WR-CALDESC are not escaped: they are escaped here with the
 *    library's own `escape`. X-WR-TIMEZONE is only written together with the calendar-level
 *    zone, so it is written here by hand (one line, in the calendar properties).
 *  - The output lacks the CRLF after the final END:VCALENDAR; it is appended here.
 *  - PRODID is written as `PRODID:-` + prodId, so the leading '-' is stripped here.
 *  - URL is escaped as TEXT (',' ';' '\' get a backslash), which corrupts a URI; those three
 *    characters are percent-encoded here instead.
 *  - Parameter values (CN) are quoted but '"' is backslash-escaped, which RFC 5545 does not
 *    allow; CN is sanitised here ('"' -> ''', '\' -> '/', control chars -> space).
 *  - UID is written unescaped; it is validated here instead.
 */
import ical, {
  escape,
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
  type ICalCalendar,
  type ICalEventData,
} from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';

export interface IcsPerson {
  name: string;
  email: string;
  /** An attendee who has said they cannot come (a förhinder): PARTSTAT=DECLINED in a REQUEST. */
  declined?: boolean;
}

export interface IcsEvent {
  /** Stable per meeting, e.g. 'meeting-<id>@arscykel'. Printable ASCII without , ; \ */
  uid: string;
  /** 0 for the first invite, +1 for each move/cancel. */
  sequence: number;
  summary: string;
  /** Instants; timed events are written with TZID=Europe/Stockholm. Ignored when allDay. */
  start: Date;
  end: Date;
  /** All-day event (milestones, planning days): uses startDate/endDate instead of start/end. */
  allDay?: boolean;
  /** 'YYYY-MM-DD', required when allDay. */
  startDate?: string;
  /** 'YYYY-MM-DD', the LAST day of the event, inclusive (defaults to startDate). */
  endDate?: string;
  location?: string;
  description?: string;
  status?: 'CONFIRMED' | 'CANCELLED';
  url?: string;
}

export const ICS_TIMEZONE = 'Europe/Stockholm';
export const DEFAULT_PRODID = '-//Årscykel//Årscykel//SV';
/** Feed refresh interval (REFRESH-INTERVAL and X-PUBLISHED-TTL), in seconds: PT1H. */
export const FEED_TTL_SECONDS = 3600;

/** The DESCRIPTION's last paragraph in an invite with a förhinder link: the invite e-mail's words, and that a reply in the calendar does not reach the förbund. */
export const DECLINE_LINK_TEXT = 'Kan du inte komma? Meddela förhinder här, så kallas din ersättare in (ett svar i kalendern når inte förbundet):';

/**
 * An invite to one meeting. Nobody reads replies to it, so no attendee is asked for one
 * (RSVP=FALSE): a board member who cannot come uses the förhinder link, which a REQUEST sent to
 * that one person carries at the end of its DESCRIPTION (`declineUrl`; not in a CANCEL).
 */
export function buildInvite(args: {
  method: 'REQUEST' | 'CANCEL';
  organizer: IcsPerson;
  attendees: IcsPerson[];
  event: IcsEvent;
  dtstamp: Date;
  prodId?: string;
  /** The invitee's own link to report förhinder (a board meeting's ledamot or called-in ersättare). */
  declineUrl?: string;
}): string {
  const { method, organizer, dtstamp } = args;
  let event = args.event;
  if (args.declineUrl && method === 'REQUEST') {
    new URL(args.declineUrl); // throws on an invalid URL
    // The link is the invitee's own: written as TEXT (ical-generator escapes it), never to several.
    if (uniqueByEmail(args.attendees).length !== 1) throw new Error('ics: a förhinder link belongs in an invite to one person');
    const link = `${DECLINE_LINK_TEXT}\n${args.declineUrl}`;
    event = { ...event, description: event.description ? `${event.description}\n\n${link}` : link };
  }
  if (method !== 'REQUEST' && method !== 'CANCEL') throw new Error(`ics: unknown method ${String(method)}`);
  if (method === 'REQUEST' && event.status === 'CANCELLED') {
    throw new Error('ics: a cancellation must be sent with method CANCEL');
  }
  const attendees = uniqueByEmail(args.attendees);
  if (attendees.length === 0) throw new Error('ics: an invite needs at least one attendee');

  const cal = newCalendar(args.prodId ?? DEFAULT_PRODID);
  cal.method(method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL);
  cal.createEvent({
    ...eventData(event, dtstamp),
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: paramText(organizer.name), email: checkEmail(organizer.email) },
    attendees: attendees.map((a) => ({
      name: paramText(a.name),
      email: checkEmail(a.email),
      role: ICalAttendeeRole.REQ,
      // A förhinder already reported stays in the update, so the calendar shows the answer given.
      status: a.declined && method === 'REQUEST' ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.NEEDSACTION,
      // Årscykel receives no replies (a förhinder goes through the invite's link): a REQUEST
      // says RSVP=FALSE, no reply expected (a calendar may still show its answer buttons, so the
      // description says a reply there does not reach the förbund); a cancellation asks for none.
      rsvp: method === 'REQUEST' ? false : null,
    })),
  });
  return calendarPropertiesFirst(serialize(cal));
}

export function buildFeed(args: {
  name: string;
  description?: string;
  events: IcsEvent[];
  dtstamp: Date;
}): string {
  const cal = newCalendar(DEFAULT_PRODID);
  cal.method(ICalCalendarMethod.PUBLISH);
  // ical-generator writes NAME, X-WR-CALNAME and X-WR-CALDESC verbatim: escape them here.
  cal.name(escape(singleLine(args.name), false));
  if (args.description) cal.description(escape(args.description, false));
  cal.ttl(FEED_TTL_SECONDS);
  for (const e of args.events) {
    cal.createEvent({
      ...eventData(e, args.dtstamp),
      status: e.status === 'CANCELLED' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  // ical-generator writes REFRESH-INTERVAL and X-PUBLISHED-TTL after the VTIMEZONE; RFC 5545
  // puts every calendar property before the components.
  const out = calendarPropertiesFirst(serialize(cal));
  // X-WR-TIMEZONE would only be written with a calendar-level zone (which breaks DTSTAMP):
  // add it as a calendar property right after METHOD, before any component.
  const method = '\r\nMETHOD:PUBLISH\r\n';
  const at = out.indexOf(method);
  if (at < 0) throw new Error('ics: unexpected ical-generator output');
  const cut = at + method.length;
  return out.slice(0, cut) + `X-WR-TIMEZONE:${ICS_TIMEZONE}\r\n` + out.slice(cut);
}

// ---------------------------------------------------------------------------------------------

const vtimezoneCache = new Map<string, string | null>();

/** VTIMEZONE generator handed to ical-generator; called once per zone per toString(). */
function vtimezone(tzid: string): string | null {
  let v = vtimezoneCache.get(tzid);
  if (v === undefined) {
    v = getVtimezoneComponent(tzid);
    if (!v) throw new Error(`ics: no VTIMEZONE for ${tzid}`);
    vtimezoneCache.set(tzid, v);
  }
  return v;
}

/** ical-generator ends with 'END:VCALENDAR' without the CRLF that RFC 5545 puts after every line. */
function serialize(cal: ICalCalendar): string {
  return cal.toString() + '\r\n';
}

/**
 * Moves the calendar's own properties that come after its first component (VTIMEZONE, VEVENT) to
 * just before it, keeping their order; folded continuation lines travel with their property.
 */
export function calendarPropertiesFirst(ics: string): string {
  const lines = ics.split('\r\n');
  const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
  // Content lines: a line and its folded continuations (lines starting with a space or tab).
  const content: string[][] = [];
  for (const l of lines) {
    if ((l.startsWith(' ') || l.startsWith('\t')) && content.length) content[content.length - 1].push(l);
    else content.push([l]);
  }
  let depth = 0;
  let firstComponent = -1;
  const before: string[][] = [];
  const moved: string[][] = [];
  const rest: string[][] = [];
  for (const c of content) {
    const name = c[0].toUpperCase();
    const begins = name.startsWith('BEGIN:');
    const ends = name.startsWith('END:');
    if (begins && depth === 1 && firstComponent < 0) firstComponent = before.length;
    if (firstComponent < 0) before.push(c);
    else if (depth === 1 && !begins && !ends) moved.push(c);
    else rest.push(c);
    if (begins) depth++;
    if (ends) depth--;
  }
  const out = [...before, ...moved, ...rest].flat();
  return out.join('\r\n') + (trailing !== undefined ? '\r\n' : '');
}

function newCalendar(prodId: string): ICalCalendar {
  // ical-generator prepends the '-' itself: 'PRODID:-' + prodId.
  if (!/^-\/\/[^\r\n]+$/.test(prodId)) throw new Error(`ics: PRODID must look like '-//Owner//Product//LANG'`);
  return ical({
    prodId: prodId.slice(1),
    // name: null keeps DTSTAMP etc. in UTC; the generator adds the VTIMEZONE for each zone
    // that an event uses.
    timezone: { name: null, generator: vtimezone },
  });
}

function eventData(e: IcsEvent, dtstamp: Date): ICalEventData {
  if (!/^[\x21-\x7e]+$/.test(e.uid) || /[,;\\]/.test(e.uid)) {
    throw new Error(`ics: invalid UID ${JSON.stringify(e.uid)}`);
  }
  if (!Number.isInteger(e.sequence) || e.sequence < 0) throw new Error(`ics: invalid SEQUENCE ${e.sequence}`);
  if (!(dtstamp instanceof Date) || Number.isNaN(dtstamp.getTime())) throw new Error('ics: invalid dtstamp');

  let when: Pick<ICalEventData, 'start' | 'end' | 'allDay' | 'timezone'>;
  if (e.allDay) {
    const start = isoDate(e.startDate, 'startDate');
    const last = e.endDate === undefined ? start : isoDate(e.endDate, 'endDate');
    if (last < start) throw new Error(`ics: endDate ${e.endDate} before startDate ${e.startDate}`);
    // No zone: the UTC-midnight DateTimes are written as their own date. DTEND is exclusive.
    when = { allDay: true, start, end: last.plus({ days: 1 }) };
  } else {
    const start = instant(e.start, 'start');
    const end = instant(e.end, 'end');
    if (end <= start) throw new Error('ics: end must be after start');
    when = { timezone: ICS_TIMEZONE, start, end };
  }

  const data: ICalEventData = {
    id: e.uid,
    sequence: e.sequence,
    stamp: dtstamp,
    summary: singleLine(e.summary),
    ...when,
  };
  if (e.location) data.location = e.location;
  if (e.description) data.description = e.description;
  if (e.url) data.url = uri(e.url);
  return data;
}

function instant(d: Date, what: string): DateTime {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new Error(`ics: invalid ${what}`);
  // ical-generator calls setZone(ICS_TIMEZONE) on it; never the server's zone.
  return DateTime.fromJSDate(d, { zone: 'utc' });
}

function isoDate(s: string | undefined, what: string): DateTime {
  const d = s !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(s) ? DateTime.fromISO(s, { zone: 'utc' }) : null;
  if (!d || !d.isValid) throw new Error(`ics: all-day event needs ${what} as 'YYYY-MM-DD', got ${String(s)}`);
  return d;
}

function uniqueByEmail(people: IcsPerson[]): IcsPerson[] {
  const seen = new Set<string>();
  return people.filter((p) => {
    const k = p.email.trim().toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function checkEmail(email: string): string {
  const e = email.trim();
  if (!/^[^\s@",;:<>()\\[\]]+@[^\s@",;:<>()\\[\]]+$/.test(e)) throw new Error(`ics: invalid e-mail ${JSON.stringify(email)}`);
  return e;
}

/** A value that goes into a quoted parameter (CN="..."): no DQUOTE, backslash or controls. */
function paramText(s: string): string {
  return singleLine(s).replace(/"/g, "'").replace(/\\/g, '/');
}

function singleLine(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
}

/** ical-generator escapes URL as TEXT; percent-encode the characters it would backslash. */
function uri(s: string): string {
  new URL(s); // throws on an invalid URL
  return s.replace(/[,;\\]/g, (c) => encodeURIComponent(c));
}
