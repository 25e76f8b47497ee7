// What the pages behind a person's own link (the förhinder link of an invite, the justering link
// of the protokoll) share: the meeting as a <dl>, whom to ask, the frame in the look of the other
// public pages (layout.ts), and the pages for a link that does not act. Swedish; every text from
// the database is escaped; no scripts (the CSP allows none).
import type { MeetingTime } from '../../domain/texts.js';
import { svDayDate, svTime } from '../../domain/texts.js';
import { ADMIN_STYLE, e, nb, shell } from './layout.js';

/** Whom to ask: the board's secretary, or the förbund's office when it has none. */
export interface Contact {
  role: 'secretary' | 'office';
  name: string;
  email: string;
}

/** The meeting a link is about, as its pages show it. */
export interface LinkMeeting {
  forbundName: string;
  /** 'Styrelsemöte' */
  title: string;
  when: MeetingTime;
  location: string | null;
}

const mailto = (email: string) => `<a href="mailto:${e(email)}">${e(email)}</a>`;
/** 'styrelsens sekreterare, Sara Sekreterare, sara@example.org' */
export const contactText = (c: Contact) => (c.role === 'secretary' ? `styrelsens sekreterare, ${e(c.name)}, ${mailto(c.email)}` : `förbundets kansli, ${mailto(c.email)}`);

export function facts(m: LinkMeeting): string {
  const time = m.when.start ? `kl. ${svTime(m.when.start)}${m.when.end ? `–${svTime(m.when.end)}` : ''}` : 'Hela dagen';
  return (
    `<dl class="facts"><dt>Förbund</dt><dd>${e(m.forbundName)}</dd><dt>Sammanträde</dt><dd>${e(m.title)}</dd>` +
    `<dt>Datum</dt><dd>${e(svDayDate(m.when.date))}</dd><dt>Tid</dt><dd>${e(nb(time))}</dd>` +
    (m.location ? `<dt>Plats</dt><dd>${e(m.location)}</dd>` : '') +
    `</dl>`
  );
}

/** One page of a link: its heading and body in the förbund's frame, with whom to ask about `about` ('sammanträdet', 'protokollet') at the foot. */
export function linkFrame(o: { meeting: LinkMeeting; heading: string; body: string; contact: Contact; pageTitle: string; about: string; style: string }): string {
  const m = o.meeting;
  return shell(
    `${o.heading} – ${o.pageTitle} – ${m.forbundName}`,
    `<main id="innehall" tabindex="-1"><div class="wrap"><h1>${e(o.heading)}</h1>${o.body}</div></main>` +
      `<footer><div class="wrap"><p>${e(m.forbundName)}. Frågor om ${o.about}? Kontakta ${contactText(o.contact)}.</p></div></footer>`,
    { site: m.forbundName, style: ADMIN_STYLE + o.style },
  );
}

/** Nothing was done (Temporal away, or an unexpected failure): try again, or ask the secretary. */
export function failedBody(o: { meeting: LinkMeeting; contact: Contact; unavailable: boolean }): string {
  return (
    `<p class="lead">${o.unavailable ? 'Tjänsten är tillfälligt otillgänglig, och inget har ändrats. Försök igen om en stund.' : 'Något gick fel, och inget har ändrats.'}</p>` +
    facts(o.meeting) +
    `<p>Går det inte, kontakta ${contactText(o.contact)}.</p>`
  );
}

/** A link whose token does not match (or a meeting no longer there): nothing about any meeting is shown. */
export function invalidLinkPage(o: { why: 'token' | 'gone'; from: string; forWhat: string; style: string }): string {
  return shell(
    'Länken fungerar inte',
    `<main id="innehall" tabindex="-1"><div class="wrap"><h1>Länken fungerar inte</h1>` +
      `<p class="lead">${o.why === 'token' ? `Länken är inte giltig. Kontrollera att hela länken från ${o.from} kom med, eller öppna den direkt från e-postmeddelandet.` : 'Sammanträdet som länken gäller finns inte längre.'}</p>` +
      `<p>Kontakta förbundets kansli om du ${o.forWhat}.</p></div></main>`,
    { style: ADMIN_STYLE + o.style },
  );
}
