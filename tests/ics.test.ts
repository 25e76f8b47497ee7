import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { buildFeed, buildInvite, calendarPropertiesFirst, ICS_TIMEZONE, type IcsEvent, type IcsPerson } from '../domain/ics.js';

// Run under a zone with the opposite DST rhythm to Stockholm: any leak of the server's zone
// into the output (ical-generator's "plain Date + zone" pitfall) or into the parsing (floating
// times) changes the instants below.
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Pacific/Auckland';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});
afterEach(() => {
  ICAL.TimezoneService.reset();
});

const organizer: IcsPerson = { name: 'Samordningsförbundet Sydnärke', email: 'kansli@sydnarke.se' };
const attendees: IcsPerson[] = [
  { name: 'Åsa Öberg', email: 'asa.oberg@example.se' },
  { name: 'Jörgen Ängström, ordförande', email: 'jorgen@example.se' },
];
const dtstamp = new Date('2026-01-05T10:11:12.345Z');

function meeting(over: Partial<IcsEvent> = {}): IcsEvent {
  return {
    uid: 'meeting-42@arscykel',
    sequence: 0,
    summary: 'Styrelsemöte – Samordningsförbundet Sydnärke',
    start: new Date('2026-01-22T08:00:00Z'),
    end: new Date('2026-01-22T10:00:00Z'),
    location: 'Kommunhuset, sal 3; Örebro',
    description: 'Underlag till beredningen senast 2026-01-15.\nKallelse skickas 2026-01-12.',
    ...over,
  };
}

function invite(method: 'REQUEST' | 'CANCEL', event: IcsEvent, stamp = dtstamp): string {
  return buildInvite({ method, organizer, attendees, event, dtstamp: stamp });
}

/** Parse, and register every VTIMEZONE of the document with ICAL.TimezoneService. */
function parse(ics: string): ICAL.Component {
  const vcal = new ICAL.Component(ICAL.parse(ics));
  for (const vtz of vcal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  return vcal;
}

function events(vcal: ICAL.Component): ICAL.Event[] {
  return vcal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
}

function only(vcal: ICAL.Component): ICAL.Event {
  const evs = events(vcal);
  expect(evs).toHaveLength(1);
  return evs[0];
}

const iso = (t: ICAL.Time) => t.toJSDate().toISOString();

/** Every line ends in CRLF, no bare CR/LF, no line over 75 octets, each line valid UTF-8. */
function expectWellFormedLines(ics: string): void {
  expect(ics.endsWith('\r\n')).toBe(true);
  expect(/\r(?!\n)|(?<!\r)\n/.test(ics)).toBe(false);
  const bytes = Buffer.from(ics, 'utf8');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let lines = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      const line = bytes.subarray(start, i);
      expect(line.length, `line ${lines + 1} ${utf8.decode(line)}`).toBeLessThanOrEqual(75);
      utf8.decode(line); // throws if a fold split a multi-byte character
      start = i + 2;
      lines++;
    }
  }
  expect(start).toBe(bytes.length);
}

describe('buildInvite (iTIP REQUEST)', () => {
  it('has method, prodid, organizer, attendees, uid, sequence, dtstamp and status', () => {
    const ics = invite('REQUEST', meeting());
    const vcal = parse(ics);
    expect(vcal.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(vcal.getFirstPropertyValue('version')).toBe('2.0');
    expect(vcal.getFirstPropertyValue('prodid')).toBe('-//Årscykel//Årscykel//SV');

    const ev = only(vcal);
    expect(ev.uid).toBe('meeting-42@arscykel');
    expect(ev.sequence).toBe(0);
    expect(ev.summary).toBe('Styrelsemöte – Samordningsförbundet Sydnärke');
    expect(ev.component.getFirstPropertyValue('status')).toBe('CONFIRMED');

    const org = ev.component.getFirstProperty('organizer')!;
    expect(String(org.getFirstValue()).toLowerCase()).toBe('mailto:kansli@sydnarke.se');
    expect(org.getParameter('cn')).toBe('Samordningsförbundet Sydnärke');

    expect(ev.attendees).toHaveLength(2);
    const byMail = new Map(ev.attendees.map((a) => [String(a.getFirstValue()).toLowerCase(), a]));
    for (const p of attendees) {
      const a = byMail.get(`mailto:${p.email}`)!;
      expect(a, p.email).toBeDefined();
      expect(a.getParameter('cn')).toBe(p.name); // comma inside the quoted CN survives
      expect(a.getParameter('role')).toBe('REQ-PARTICIPANT');
      expect(a.getParameter('partstat')).toBe('NEEDS-ACTION');
      // Årscykel receives no calendar replies: nobody is asked for one.
      expect(a.getParameter('rsvp')).toBe('FALSE');
    }
    expect(ics).not.toMatch(/RSVP=TRUE/);

    // DTSTAMP is UTC with Z (no calendar-level zone), to the second.
    expect(ics).toMatch(/\r\nDTSTAMP:20260105T101112Z\r\n/);
    const stamp = ev.component.getFirstPropertyValue('dtstamp') as ICAL.Time;
    expect(stamp.zone?.tzid).toBe('UTC');
    expect(stamp.toJSDate().toISOString()).toBe('2026-01-05T10:11:12.000Z');

    expectWellFormedLines(ics);
  });

  const cases = [
    { what: 'winter', start: '2026-01-22T08:00:00Z', local: '20260122T090000', offset: 3600 },
    { what: 'summer', start: '2026-08-26T07:00:00Z', local: '20260826T090000', offset: 7200 },
    { what: 'Monday after spring-forward', start: '2026-03-30T07:00:00Z', local: '20260330T090000', offset: 7200 },
    { what: 'Monday after fall-back', start: '2026-10-26T08:00:00Z', local: '20261026T090000', offset: 3600 },
  ];
  for (const c of cases) {
    it(`writes 09:00 Stockholm with TZID and resolves it through the VTIMEZONE (${c.what})`, () => {
      const start = new Date(c.start);
      const end = new Date(start.getTime() + 2 * 3600_000);
      const ics = invite('REQUEST', meeting({ start, end }));

      // Written as local wall-clock time with TZID, not UTC, not floating.
      expect(ics).toContain(`\r\nDTSTART;TZID=${ICS_TIMEZONE}:${c.local}\r\n`);
      expect(ics).toContain(`\r\nDTEND;TZID=${ICS_TIMEZONE}:${c.local.replace('T09', 'T11')}\r\n`);

      const vcal = parse(ics);
      const vtz = vcal.getAllSubcomponents('vtimezone');
      expect(vtz).toHaveLength(1);
      expect(vtz[0].getFirstPropertyValue('tzid')).toBe(ICS_TIMEZONE);
      expect(ICAL.TimezoneService.has(ICS_TIMEZONE)).toBe(true);

      const ev = only(vcal);
      expect(ev.startDate.zone?.tzid).toBe(ICS_TIMEZONE);
      expect(ev.startDate.utcOffset()).toBe(c.offset);
      expect(iso(ev.startDate)).toBe(start.toISOString());
      expect(iso(ev.endDate)).toBe(end.toISOString());
    });
  }

  it('gets the instant from the VTIMEZONE, not by luck', () => {
    const start = new Date('2026-08-26T07:00:00Z');
    const ics = invite('REQUEST', meeting({ start, end: new Date('2026-08-26T09:00:00Z') }));
    const vtzText = ics.slice(ics.indexOf('BEGIN:VTIMEZONE'), ics.indexOf('END:VTIMEZONE\r\n') + 15);
    const withoutVtz = ics.replace(vtzText, '');
    expect(withoutVtz).not.toContain('VTIMEZONE');

    // 1. Without any VTIMEZONE the TZID cannot be resolved: ical.js falls back to a floating
    //    time, read in the process zone (Auckland), which is the wrong instant.
    const floating = only(new ICAL.Component(ICAL.parse(withoutVtz)));
    expect(floating.startDate.zone?.tzid).not.toBe(ICS_TIMEZONE);
    expect(iso(floating.startDate)).not.toBe(start.toISOString());

    // 2. The same VTIMEZONE-less event, with our VTIMEZONE registered in TimezoneService only.
    ICAL.TimezoneService.register(new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${vtzText}END:VCALENDAR\r\n`)).getFirstSubcomponent('vtimezone')!);
    const viaService = only(new ICAL.Component(ICAL.parse(withoutVtz)));
    expect(viaService.startDate.zone).toBe(ICAL.TimezoneService.get(ICS_TIMEZONE));
    expect(iso(viaService.startDate)).toBe(start.toISOString());
    ICAL.TimezoneService.reset();

    // 3. Tamper with the summer offset in the VTIMEZONE (+0200 -> +0500): the instant moves by
    //    exactly three hours, so it is computed from the rules in the document.
    const tampered = ics.replace('TZOFFSETTO:+0200', 'TZOFFSETTO:+0500').replace('TZOFFSETFROM:+0200', 'TZOFFSETFROM:+0500');
    expect(tampered).not.toBe(ics);
    const shifted = only(parse(tampered));
    expect(iso(shifted.startDate)).toBe('2026-08-26T04:00:00.000Z');
  });

  it('a move keeps the UID, raises SEQUENCE and carries the new time', () => {
    const first = only(parse(invite('REQUEST', meeting())));
    const moved = only(
      parse(
        invite(
          'REQUEST',
          meeting({ sequence: 1, start: new Date('2026-01-29T12:00:00Z'), end: new Date('2026-01-29T14:00:00Z') }),
          new Date('2026-01-10T08:00:00Z'),
        ),
      ),
    );
    expect(moved.uid).toBe(first.uid);
    expect(moved.sequence).toBeGreaterThan(first.sequence);
    expect(iso(moved.startDate)).toBe('2026-01-29T12:00:00.000Z');
    expect(iso(moved.endDate)).toBe('2026-01-29T14:00:00.000Z');
    expect(moved.startDate.toString()).toBe('2026-01-29T13:00:00'); // 13:00 local
    const stamp = (e: ICAL.Event) => (e.component.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().getTime();
    expect(stamp(moved)).toBeGreaterThan(stamp(first));
  });

  it("a board member's invite asks for no calendar reply and carries the förhinder link in its description", () => {
    const ledamot = { name: 'Åsa Öberg', email: 'asa.oberg@example.se' };
    const declineUrl = 'https://arscykel.example/meetings/m-42/forhinder/p-7?token=AbC_d-9';
    const ics = buildInvite({ method: 'REQUEST', organizer, attendees: [ledamot], event: meeting(), dtstamp, declineUrl });
    const ev = only(parse(ics));
    expect(ev.attendees.map((a) => a.getParameter('rsvp'))).toEqual(['FALSE']);
    // The meeting's details first, then how to report förhinder, the link on a line of its own.
    expect(ev.description).toBe(
      'Underlag till beredningen senast 2026-01-15.\nKallelse skickas 2026-01-12.\n\n' +
        `Kan du inte komma? Meddela förhinder här, så kallas din ersättare in (ett svar i kalendern når inte förbundet):\n${declineUrl}`,
    );
    expectWellFormedLines(ics);
    // Without other details the description is the link alone.
    expect(only(parse(buildInvite({ method: 'REQUEST', organizer, attendees: [ledamot], event: meeting({ description: undefined }), dtstamp, declineUrl }))).description).toMatch(/^Kan du inte komma\?.*\nhttps:\/\/arscykel\.example\/meetings\/m-42\/forhinder\/p-7\?token=AbC_d-9$/s);
    // A cancellation offers no link; a link is one person's and never goes to several.
    const cancel = only(parse(buildInvite({ method: 'CANCEL', organizer, attendees: [ledamot], event: meeting({ sequence: 1 }), dtstamp, declineUrl })));
    expect(cancel.description).not.toContain('forhinder');
    expect(() => buildInvite({ method: 'REQUEST', organizer, attendees, event: meeting(), dtstamp, declineUrl })).toThrow(/one person/);
    expect(() => buildInvite({ method: 'REQUEST', organizer, attendees: [ledamot], event: meeting(), dtstamp, declineUrl: 'not a url' })).toThrow();
  });

  it('a cancel is METHOD:CANCEL, STATUS:CANCELLED, same UID, higher SEQUENCE, same attendees', () => {
    const ics = invite('CANCEL', meeting({ sequence: 2 }));
    const vcal = parse(ics);
    expect(vcal.getFirstPropertyValue('method')).toBe('CANCEL');
    const ev = only(vcal);
    expect(ev.uid).toBe('meeting-42@arscykel');
    expect(ev.sequence).toBe(2);
    expect(ev.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(String(ev.component.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:kansli@sydnarke.se');
    expect(ev.attendees.map((a) => String(a.getFirstValue()).toLowerCase()).sort()).toEqual(
      attendees.map((a) => `mailto:${a.email}`).sort(),
    );
    for (const a of ev.attendees) expect(a.getParameter('rsvp')).toBeUndefined();
    expect(iso(ev.startDate)).toBe('2026-01-22T08:00:00.000Z');
    expectWellFormedLines(ics);
  });

  it('escapes text (commas, semicolons, newlines, backslashes, å ä ö) so it round-trips', () => {
    const description = [
      'Beredningsgrupp; förberedelser, del 1',
      'Handlingar senast 2026-01-15, kl. 12.00; skickas till kansliet.',
      'Sökväg: G:\\Styrelse\\2026',
      '',
      'Åtgärd: läs, kommentera; återkoppla – tack! ÅÄÖ åäö',
    ].join('\n');
    const summary = 'Beredning, styrelse; Sydnärke';
    const location = 'Örebro, Drottninggatan 1; plan 2';
    const ics = invite('REQUEST', meeting({ description, summary, location, url: 'https://arscykel.example/m/42?a=1,2;b' }));
    expect(ics).toContain('DESCRIPTION:Beredningsgrupp\\; förberedelser\\, del 1\\nHandlingar');
    expect(Buffer.from(ics, 'utf8').includes(Buffer.from('Örebro', 'utf8'))).toBe(true);

    const ev = only(parse(ics));
    expect(ev.description).toBe(description);
    expect(ev.summary).toBe(summary);
    expect(ev.location).toBe(location);
    expect(ev.component.getFirstPropertyValue('url')).toBe('https://arscykel.example/m/42?a=1%2C2%3Bb');
    expectWellFormedLines(ics);
  });

  it('uses CRLF everywhere and folds long lines at 75 octets, also inside multi-byte text', () => {
    const long = 'Lång beskrivning med åäö ÅÄÖ – '.repeat(20);
    const people = Array.from({ length: 8 }, (_, i) => ({ name: `Ledamot Ångström-Öberg nr ${i}`, email: `ledamot.nummer.${i}@samordningsforbundet-sydnarke.se` }));
    for (const method of ['REQUEST', 'CANCEL'] as const) {
      const ics = buildInvite({ method, organizer, attendees: people, event: meeting({ description: long, summary: long }), dtstamp });
      expect(ics.split('\r\n').some((l) => l.startsWith(' '))).toBe(true); // there were folds
      expectWellFormedLines(ics);
      const ev = only(parse(ics));
      expect(ev.description).toBe(long);
      expect(ev.summary).toBe(long.trim());
      expect(ev.attendees).toHaveLength(8);
    }
  });

  it('rejects what would produce a broken invite', () => {
    expect(() => invite('REQUEST', meeting({ status: 'CANCELLED' }))).toThrow(/CANCEL/);
    expect(() => invite('REQUEST', meeting({ uid: 'bad uid' }))).toThrow(/UID/);
    expect(() => invite('REQUEST', meeting({ sequence: -1 }))).toThrow(/SEQUENCE/);
    expect(() => invite('REQUEST', meeting({ end: new Date('2026-01-22T07:00:00Z') }))).toThrow(/after/);
    expect(() => invite('REQUEST', meeting({ start: new Date('nope') }))).toThrow(/start/);
    expect(() => buildInvite({ method: 'REQUEST', organizer, attendees: [], event: meeting(), dtstamp })).toThrow(/attendee/);
    expect(() =>
      buildInvite({ method: 'REQUEST', organizer: { name: 'x', email: 'a,b@example.se' }, attendees, event: meeting(), dtstamp }),
    ).toThrow(/e-mail/);
  });
});

describe('buildFeed (METHOD:PUBLISH)', () => {
  const name = 'Årscykel, Samordningsförbundet Sydnärke; styrelse';
  const feedDescription = 'Möten, milstolpar; planering\nUppdateras varje timme.';

  function feedEvents(meetings: number): IcsEvent[] {
    const out: IcsEvent[] = [];
    for (let i = 0; i < meetings; i++) {
      // Every 13 days from 2026-01-08 09:00 Stockholm: crosses both DST changes.
      const day = new Date(Date.UTC(2026, 0, 8 + 13 * i));
      const local = day.toISOString().slice(0, 10);
      const offsetH = new Intl.DateTimeFormat('en-GB', { timeZone: ICS_TIMEZONE, timeZoneName: 'shortOffset' })
        .formatToParts(new Date(`${local}T12:00:00Z`))
        .find((p) => p.type === 'timeZoneName')!.value === 'GMT+2' ? 2 : 1;
      const start = new Date(Date.UTC(2026, 0, 8 + 13 * i, 9 - offsetH));
      out.push({
        uid: `meeting-${i}@arscykel`,
        sequence: i % 3,
        summary: i % 2 ? 'Beredningsgrupp – Sydnärke' : 'Styrelsemöte – Sydnärke',
        start,
        end: new Date(start.getTime() + 2 * 3600_000),
        location: 'Örebro, sal 3',
        description: `Möte ${i}; handlingar, senast en vecka före.\nVälkommen!`,
      });
    }
    return out;
  }

  const milestones: IcsEvent[] = [
    { uid: 'ms-verksamhetsplan@arscykel', sequence: 0, summary: 'Verksamhetsplan fastställs', allDay: true, startDate: '2026-03-15', start: new Date(0), end: new Date(0) },
    { uid: 'ms-arsredovisning@arscykel', sequence: 0, summary: 'Årsredovisning, revision; klar', allDay: true, startDate: '2026-02-28', start: new Date(0), end: new Date(0) },
    { uid: 'ms-planeringsdagar@arscykel', sequence: 1, summary: 'Planeringsdagar', allDay: true, startDate: '2026-10-24', endDate: '2026-10-26', start: new Date(0), end: new Date(0) },
    { uid: 'ms-budget@arscykel', sequence: 0, summary: 'Budget till medlemmar', allDay: true, startDate: '2026-06-30', start: new Date(0), end: new Date(0), status: 'CANCELLED' },
  ];

  it('20 meetings + all-day milestones parse with the right count, name and times', () => {
    const meetings = feedEvents(20);
    const ics = buildFeed({ name, description: feedDescription, events: [...meetings, ...milestones], dtstamp });
    expectWellFormedLines(ics);

    const vcal = parse(ics);
    expect(vcal.getFirstPropertyValue('method')).toBe('PUBLISH');
    // ical.js reads NAME and X-WR-* as type 'unknown' (kept raw); RFC 5545 §3.8.8.2 makes TEXT
    // the default for X- properties, and that is how clients read them: decode as TEXT.
    const text = (prop: string) => ICAL.design.icalendar.value.text.fromICAL(String(vcal.getFirstPropertyValue(prop)));
    expect(ics).toContain('\r\nX-WR-CALNAME:Årscykel\\, Samordningsförbundet Sydnärke\\; styrelse\r\n');
    expect(text('x-wr-calname')).toBe(name);
    expect(text('name')).toBe(name);
    expect(text('x-wr-caldesc')).toBe(feedDescription);
    expect(vcal.getFirstPropertyValue('x-wr-timezone')).toBe(ICS_TIMEZONE);
    expect(ics).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
    expect(ics).toContain('\r\nX-PUBLISHED-TTL:PT1H\r\n');
    // Calendar properties come before the components.
    expect(ics.indexOf('X-WR-TIMEZONE')).toBeLessThan(ics.indexOf('BEGIN:V', 1));
    expect(vcal.getAllSubcomponents('vtimezone')).toHaveLength(1);
    expect(ics).not.toMatch(/ORGANIZER|ATTENDEE/);

    const evs = events(vcal);
    expect(evs).toHaveLength(24);
    const byUid = new Map(evs.map((e) => [e.uid, e]));
    for (const m of meetings) {
      const e = byUid.get(m.uid)!;
      expect(e.startDate.zone?.tzid).toBe(ICS_TIMEZONE);
      expect(e.startDate.toString().slice(11)).toBe('09:00:00'); // 09:00 local all year
      expect(iso(e.startDate)).toBe(m.start.toISOString());
      expect(e.sequence).toBe(m.sequence);
      expect(e.description).toBe(m.description);
    }
    // DTSTAMP stays UTC with Z in a feed too.
    expect(ics.match(/\r\nDTSTAMP:[^\r]*/g)!.every((l) => l.endsWith('Z'))).toBe(true);

    const vp = byUid.get('ms-verksamhetsplan@arscykel')!;
    expect(vp.startDate.isDate).toBe(true);
    expect(vp.startDate.toString()).toBe('2026-03-15');
    expect(vp.endDate.toString()).toBe('2026-03-16'); // DTEND exclusive
    expect(ics).toContain('\r\nDTSTART;VALUE=DATE:20260315\r\n');
    expect(byUid.get('ms-arsredovisning@arscykel')!.summary).toBe('Årsredovisning, revision; klar');
    const pd = byUid.get('ms-planeringsdagar@arscykel')!; // endDate inclusive, over the DST change
    expect([pd.startDate.toString(), pd.endDate.toString()]).toEqual(['2026-10-24', '2026-10-27']);
    expect(byUid.get('ms-budget@arscykel')!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('writes every calendar property before the first component (RFC 5545 §3.6), in invites too', () => {
    const calendarProperties = (ics: string) => {
      // Unfolded lines at the calendar's own level, and where the first component begins.
      const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
      let depth = 0;
      const seen: { line: string; afterComponent: boolean }[] = [];
      let componentSeen = false;
      for (const l of lines) {
        if (l.startsWith('BEGIN:')) {
          if (depth === 1) componentSeen = true;
          depth++;
        } else if (l.startsWith('END:')) depth--;
        else if (depth === 1) seen.push({ line: l.split(/[:;]/)[0], afterComponent: componentSeen });
      }
      return seen;
    };
    const feed = calendarProperties(buildFeed({ name, description: feedDescription, events: [...feedEvents(2), ...milestones], dtstamp }));
    expect(feed.map((p) => p.line)).toEqual(['VERSION', 'PRODID', 'METHOD', 'X-WR-TIMEZONE', 'NAME', 'X-WR-CALNAME', 'X-WR-CALDESC', 'REFRESH-INTERVAL', 'X-PUBLISHED-TTL']);
    expect(feed.filter((p) => p.afterComponent)).toEqual([]);
    expect(calendarProperties(invite('REQUEST', meeting())).filter((p) => p.afterComponent)).toEqual([]);
  });

  it('calendarPropertiesFirst moves late calendar properties, folded lines with them, and leaves components alone', () => {
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VTIMEZONE', 'TZID:X', 'END:VTIMEZONE', 'X-LONG:ab', ' cd', 'BEGIN:VEVENT', 'UID:1', 'END:VEVENT', 'X-LAST:z', 'END:VCALENDAR', ''].join('\r\n');
    expect(calendarPropertiesFirst(ics)).toBe(['BEGIN:VCALENDAR', 'VERSION:2.0', 'X-LONG:ab', ' cd', 'X-LAST:z', 'BEGIN:VTIMEZONE', 'TZID:X', 'END:VTIMEZONE', 'BEGIN:VEVENT', 'UID:1', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'));
  });

  it('rejects malformed all-day dates', () => {
    const bad = (e: Partial<IcsEvent>) => () => buildFeed({ name, events: [{ ...milestones[0], ...e }], dtstamp });
    expect(bad({ startDate: undefined })).toThrow(/startDate/);
    expect(bad({ startDate: '2026-3-15' })).toThrow(/startDate/);
    expect(bad({ startDate: '2026-02-30' })).toThrow(/startDate/);
    expect(bad({ endDate: '2026-03-14' })).toThrow(/before/);
  });

  it('builds a 1000-event feed (timing reported, not asserted)', () => {
    const evs = feedEvents(1000);
    const t0 = performance.now();
    const ics = buildFeed({ name, events: evs, dtstamp });
    const ms = performance.now() - t0;
    console.log(`[ics] buildFeed with 1000 events: ${ms.toFixed(0)} ms, ${(Buffer.byteLength(ics) / 1024).toFixed(0)} KiB`);
    expect(events(parse(ics))).toHaveLength(1000);
  });
});

describe('invites: what is refused and how people are written', () => {
  it('refuses an unknown method and a malformed PRODID, but sends a cancelled meeting as a CANCEL', () => {
    const bad = (over: Partial<Parameters<typeof buildInvite>[0]>) => () => buildInvite({ method: 'REQUEST', organizer, attendees, event: meeting(), dtstamp, ...over });
    expect(bad({ method: 'PUBLISH' as 'REQUEST' })).toThrow('ics: unknown method PUBLISH');
    for (const prodId of ['Årscykel', 'x-//Årscykel//Årscykel//SV', '-//Årscykel\r\nX-EVIL:1']) {
      expect(bad({ prodId }), prodId).toThrow("ics: PRODID must look like '-//Owner//Product//LANG'");
    }
    expect(parse(buildInvite({ method: 'REQUEST', organizer, attendees, event: meeting(), dtstamp, prodId: '-//Sydnärke//Kansli//SV' })).getFirstPropertyValue('prodid')).toBe('-//Sydnärke//Kansli//SV');
    const cancelled = only(parse(invite('CANCEL', meeting({ sequence: 1, status: 'CANCELLED' }))));
    expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('refuses an invalid dtstamp, an invalid end and an end equal to the start, each named', () => {
    expect(() => invite('REQUEST', meeting(), new Date('nope'))).toThrow('ics: invalid dtstamp');
    expect(() => invite('REQUEST', meeting({ start: new Date('nope') }))).toThrow('ics: invalid start');
    expect(() => invite('REQUEST', meeting({ end: new Date('nope') }))).toThrow('ics: invalid end');
    expect(() => invite('REQUEST', meeting({ end: new Date('2026-01-22T08:00:00Z') }))).toThrow('ics: end must be after start');
  });

  it('shows a förhinder already reported as DECLINED in an update, not in a cancellation', () => {
    const people = [{ ...attendees[0], declined: true }, attendees[1]];
    const partstat = (method: 'REQUEST' | 'CANCEL') =>
      only(parse(buildInvite({ method, organizer, attendees: people, event: meeting({ sequence: 1 }), dtstamp }))).attendees.map((a) => [String(a.getFirstValue()).toLowerCase(), a.getParameter('partstat')]);
    expect(partstat('REQUEST')).toEqual([['mailto:asa.oberg@example.se', 'DECLINED'], ['mailto:jorgen@example.se', 'NEEDS-ACTION']]);
    expect(partstat('CANCEL')).toEqual([['mailto:asa.oberg@example.se', 'NEEDS-ACTION'], ['mailto:jorgen@example.se', 'NEEDS-ACTION']]);
  });

  it('invites a person listed twice (other case, spaces around the address) once', () => {
    const twice = [attendees[0], { name: 'Åsa Öberg (ersättare)', email: '  Asa.Oberg@Example.SE ' }, attendees[1]];
    const ev = only(parse(buildInvite({ method: 'REQUEST', organizer, attendees: twice, event: meeting(), dtstamp })));
    expect(ev.attendees.map((a) => [String(a.getFirstValue()).toLowerCase(), a.getParameter('cn')])).toEqual([
      ['mailto:asa.oberg@example.se', 'Åsa Öberg'],
      ['mailto:jorgen@example.se', 'Jörgen Ängström, ordförande'],
    ]);
    // and the förhinder link may go to that one person
    expect(() => buildInvite({ method: 'REQUEST', organizer, attendees: twice.slice(0, 2), event: meeting(), dtstamp, declineUrl: 'https://arscykel.example/f/1' })).not.toThrow();
  });

  it('accepts an address with spaces around it, refuses two addresses in one', () => {
    const ev = only(parse(buildInvite({ method: 'REQUEST', organizer: { ...organizer, email: ' kansli@sydnarke.se ' }, attendees, event: meeting(), dtstamp })));
    expect(String(ev.component.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:kansli@sydnarke.se');
    expect(() => buildInvite({ method: 'REQUEST', organizer: { ...organizer, email: 'kansli@sydnarke.se annan@example.se' }, attendees, event: meeting(), dtstamp })).toThrow(
      'ics: invalid e-mail "kansli@sydnarke.se annan@example.se"',
    );
  });

  it('writes names with quotes, backslashes and line breaks so calendars show them on one line', () => {
    const people = [{ name: 'Anna "Kansliet" Berg', email: 'anna@example.se' }, { name: 'Sydnärke\\Kansli', email: 'kansli2@example.se' }, { name: 'Åsa\r\n\tÖberg', email: 'asa@example.se' }];
    const ev = only(parse(buildInvite({ method: 'REQUEST', organizer, attendees: people, event: meeting({ summary: 'Styrelsemöte\r\nSydnärke' }), dtstamp })));
    expect(ev.attendees.map((a) => a.getParameter('cn'))).toEqual(["Anna 'Kansliet' Berg", 'Sydnärke/Kansli', 'Åsa Öberg']);
    expect(ev.summary).toBe('Styrelsemöte Sydnärke');
  });

  it('writes no LOCATION or DESCRIPTION when there is none', () => {
    const ics = invite('REQUEST', meeting({ location: '', description: '' }));
    expect(ics).not.toMatch(/\r\n(LOCATION|DESCRIPTION)[:;]/);
    const none = invite('REQUEST', meeting({ location: undefined, description: undefined }));
    expect(none).not.toMatch(/\r\n(LOCATION|DESCRIPTION)[:;]/);
  });
});

describe('feed: status, description and all-day dates', () => {
  const milestone: IcsEvent = { uid: 'ms-1@arscykel', sequence: 0, summary: 'Verksamhetsplan fastställs', allDay: true, startDate: '2026-03-15', start: new Date(0), end: new Date(0) };

  it('shows a meeting that goes ahead as CONFIRMED and escapes the description as TEXT', () => {
    const ics = buildFeed({ name: 'Årscykel', description: 'Möten, milstolpar; planering', events: [meeting()], dtstamp });
    expect(only(parse(ics)).component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(ics).toContain('\r\nX-WR-CALDESC:Möten\\, milstolpar\\; planering\r\n');
  });

  it('writes no X-WR-CALDESC without a description', () => {
    expect(buildFeed({ name: 'Årscykel', events: [meeting()], dtstamp })).not.toContain('X-WR-CALDESC');
  });

  it('refuses an all-day date with a time, and names a bad endDate', () => {
    const bad = (e: Partial<IcsEvent>) => () => buildFeed({ name: 'Årscykel', events: [{ ...milestone, ...e }], dtstamp });
    expect(bad({ startDate: '2026-03-15T10:00' })).toThrow("ics: all-day event needs startDate as 'YYYY-MM-DD', got 2026-03-15T10:00");
    expect(bad({ endDate: '2026-13-01' })).toThrow("ics: all-day event needs endDate as 'YYYY-MM-DD', got 2026-13-01");
  });

  it('calendarPropertiesFirst keeps a missing final CRLF missing, and a folded END line with its component', () => {
    const noFinal = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:1', 'END:VEVENT', 'X-LAST:z', 'END:VCALENDAR'].join('\r\n');
    expect(calendarPropertiesFirst(noFinal)).toBe(['BEGIN:VCALENDAR', 'X-LAST:z', 'BEGIN:VEVENT', 'UID:1', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n'));
    // RFC 5545 allows a fold anywhere, with a space or a tab
    const folded = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:1', 'END:VEV', ' ENT', 'BEGIN:VEVENT', 'UID:2', 'END:VE', '\tVENT', 'X-LAST:z ', 'END:VCALENDAR', ''].join('\r\n');
    expect(calendarPropertiesFirst(folded)).toBe(
      ['BEGIN:VCALENDAR', 'X-LAST:z ', 'BEGIN:VEVENT', 'UID:1', 'END:VEV', ' ENT', 'BEGIN:VEVENT', 'UID:2', 'END:VE', '\tVENT', 'END:VCALENDAR', ''].join('\r\n'),
    );
  });
});
