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

/** Whom a link's page names to ask: a person by name and Swedish title ('förbundschef'), or the förbund's office. */
export type AskWhom = { name: string; title?: string; email: string } | { office: string; email: string };

/** 'Olga Tjänsteman, förbundschef, olga@…' or 'förbundets kansli, kansli@…' (escaped HTML). */
export const askText = (a: AskWhom) => ('office' in a ? `förbundets kansli, ${mailto(a.email)}` : `${e(a.name)}${a.title ? `, ${e(a.title)}` : ''}, ${mailto(a.email)}`);

/** The board's secretary (or the office) as a link page's contact names them. */
export const askOfContact = (c: Contact, forbundName: string): AskWhom => (c.role === 'secretary' ? { name: c.name, title: 'styrelsens sekreterare', email: c.email } : { office: forbundName, email: c.email });

const simplePage = (o: { forbundName: string; heading: string; body: string }) =>
  shell(`${o.heading} – ${o.forbundName}`, `<main id="innehall" tabindex="-1"><div class="wrap"><h1>${e(o.heading)}</h1>${o.body}</div></main>`, { site: o.forbundName, style: ADMIN_STYLE + '.wrap{max-width:48rem}' });

/**
 * A link that was renewed: a newer link has been sent and this one no longer opens anything. Nothing
 * of the report or the meeting is shown (the link may have reached someone it was not meant for),
 * only whom to ask.
 */
export function replacedLinkPage(o: { forbundName: string; ask: AskWhom; what: 'rapporten' | 'sammanträdet' | 'protokollet' }): string {
  return simplePage({
    forbundName: o.forbundName,
    heading: 'Länken har ersatts av en ny',
    body:
      `<p class="lead">Förbundet har skickat en ny länk till ${o.what}, så den här länken fungerar inte längre. Använd länken i det senaste e-postmeddelandet från ${e(o.forbundName)}.</p>` +
      `<p>Har du inte fått någon ny länk, eller har du frågor? Kontakta ${askText(o.ask)}.</p>`,
  });
}

/** A submission link whose report closed for good long ago: it no longer shows the report. */
export function expiredLinkPage(o: { forbundName: string; title: string; projectName: string; ask: AskWhom }): string {
  return simplePage({
    forbundName: o.forbundName,
    heading: 'Länken har gått ut',
    body:
      `<p class="lead">Länken till ${e(o.title.charAt(0).toLowerCase() + o.title.slice(1))} för ${e(o.projectName)} har gått ut. Rapporten kan inte längre lämnas eller rättas, och den visas inte längre via länken.</p>` +
      `<p>Behöver du se rapporten eller ändra något i den? Kontakta ${askText(o.ask)}.</p>`,
  });
}
