// The pages behind a board invite's förhinder link (api/styrelse.ts): the question before
// anything is done (a link opened by a mail scanner changes nothing), what was recorded (who is
// called in instead, or that nobody could be) with "Jag kan ändå komma", and the link's end once
// the meeting has begun or is cancelled.
//
// Swedish, plain semantic HTML in the look of the other public pages (layout.ts): the förbund's
// name in the top bar, one <main>, the meeting as a <dl>, buttons at least 44 px high; no
// scripts (the CSP allows none). Every text from the database is escaped.
import { meetingName, svWhen } from '../../domain/texts.js';
import { e } from './layout.js';
import { contactText, facts, failedBody, invalidLinkPage as linkInvalid, linkFrame, type Contact, type LinkMeeting } from './lank.js';

const STYLE = `
.wrap{max-width:48rem}
form.choice{margin:1rem 0 .5rem}
`;

export interface ForhinderMeeting extends LinkMeeting {
  /** The meeting's kind ('styrelse'), for running text: 'styrelsens sammanträde'. */
  kind: string;
}

export interface ForhinderPerson {
  name: string;
  seat: 'ledamot' | 'ersattare';
  /** The member organisation whose seat it is. */
  memberName?: string | null;
  /** For a called-in ersättare: the ledamot they stand in for. */
  forName?: string | null;
}

/** 'styrelsens sammanträde torsdagen den 26 februari 2037 kl. 9.00–12.00' */
const meetingText = (m: ForhinderMeeting) => `${meetingName(m.kind)} ${svWhen(m.when)}`;

const frame = (m: ForhinderMeeting, heading: string, body: string, contact: Contact) =>
  linkFrame({ meeting: m, heading, body, contact, pageTitle: `${m.title} ${svWhen(m.when, 'short')}`, about: 'sammanträdet', style: STYLE });

/** 'som ledamot för Kumla kommun', 'som ersättare för Anna Ek (Kumla kommun)' */
function seatText(p: ForhinderPerson): string {
  if (p.seat === 'ersattare') return `som ersättare${p.forName ? ` för ${e(p.forName)}${p.memberName ? ` (${e(p.memberName)})` : ''}` : p.memberName ? ` för ${e(p.memberName)}` : ''}`;
  return `som ledamot${p.memberName ? ` för ${e(p.memberName)}` : ''}`;
}

const form = (action: string, answer: 'forhinder' | 'kommer', button: string, secondary = false) =>
  `<form class="choice" method="post" action="${e(action)}"><input type="hidden" name="svar" value="${answer}"><button type="submit"${secondary ? ' class="secondary"' : ''}>${e(button)}</button></form>`;

/** The link opened: the meeting, what a förhinder does, and the button that reports it. */
export function askPage(o: { meeting: ForhinderMeeting; person: ForhinderPerson; contact: Contact; action: string; anyoneToCall: boolean; notice?: string }): string {
  const m = o.meeting;
  const member = o.person.memberName ? ` för ${e(o.person.memberName)}` : '';
  const what = o.anyoneToCall
    ? `Kan du inte komma? Anmäl förhinder här, så kallas ${o.person.seat === 'ersattare' ? 'nästa' : 'en'} ersättare${member} in i ditt ställe, i den ordning som ${o.person.memberName ? e(o.person.memberName) : 'medlemmen'} har bestämt. Du får en bekräftelse per e-post.`
    : `Kan du inte komma? Anmäl förhinder här. Det finns ingen fler ersättare${member} som kan kallas in, så platsen står tom om du inte kommer. Sekreteraren får veta det, och du får en bekräftelse per e-post.`;
  return frame(
    m,
    'Anmäl förhinder',
    (o.notice ? `<p class="notice">${e(o.notice)}</p>` : '') +
      `<p class="lead">${e(o.person.name)}, du är kallad ${seatText(o.person)} till ${e(meetingText(m))}.</p>` +
      facts(m) +
      `<p>${what}</p>` +
      form(o.action, 'forhinder', o.anyoneToCall ? `Jag kan inte komma – kalla in ${o.person.seat === 'ersattare' ? 'nästa' : 'min'} ersättare` : 'Jag kan inte komma') +
      `<p class="muted">Kan du komma behöver du inte göra något.</p>`,
    o.contact,
  );
}

/** The förhinder is recorded (just now, or earlier and the link used again): who comes instead, and "Jag kan ändå komma". */
export function recordedPage(o: { meeting: ForhinderMeeting; person: ForhinderPerson; contact: Contact; action: string; calledIn: string | null; justNow: boolean }): string {
  const m = o.meeting;
  const member = o.person.memberName ? ` för ${e(o.person.memberName)}` : '';
  return frame(
    m,
    o.justNow ? 'Tack – förhindret är anmält' : 'Förhindret är anmält',
    `<p class="lead">${e(o.person.name)}, du har anmält förhinder till ${e(meetingText(m))}.</p>` +
      (o.calledIn
        ? `<p class="flash">${e(o.calledIn)} kallas in i ditt ställe och har fått en inbjudan.</p>`
        : `<p class="notice">Ingen ersättare${member} kunde kallas in i ditt ställe, så platsen står tom. Styrelsens sekreterare har fått veta det.</p>`) +
      (o.justNow ? `<p>Du får en bekräftelse per e-post.</p>` : '') +
      facts(m) +
      `<h2 id="kan-anda-komma">Kan du ändå komma?</h2>` +
      `<p>Om något har ändrats så att du kan komma ändå:</p>` +
      form(o.action, 'kommer', 'Jag kan ändå komma', true),
    o.contact,
  );
}

/** "Jag kan ändå komma": the förhinder is withdrawn; the person is called again, and the ersättare called in for them released. */
export function comeAnywayPage(o: { meeting: ForhinderMeeting; person: ForhinderPerson; contact: Contact; released: string | null }): string {
  const m = o.meeting;
  return frame(
    m,
    'Välkommen – förhindret är återtaget',
    `<p class="lead">${e(o.person.name)}, du är kallad till ${e(meetingText(m))} igen.</p>` +
      (o.released ? `<p class="flash">${e(o.released)}, som var inkallad i ditt ställe, får besked om att det inte längre behövs.</p>` : '') +
      `<p>Du och sekreteraren får en bekräftelse per e-post.</p>` +
      facts(m) +
      `<p>Har du frågor, kontakta ${contactText(o.contact)}.</p>`,
    o.contact,
  );
}

/** The link no longer acts: the meeting has begun or is cancelled, or the person is not called to it. */
export function closedPage(o: { meeting: ForhinderMeeting; contact: Contact; why: 'begun' | 'cancelled' | 'not-called' | 'refused' }): string {
  const m = o.meeting;
  const text = {
    begun: ['Sammanträdet har börjat', `${meetingText(m)} har redan börjat. Förhinder kan inte längre anmälas eller ändras via länken.`],
    cancelled: ['Sammanträdet är inställt', `${meetingText(m)} är inställt. Du behöver inte anmäla förhinder.`],
    'not-called': ['Du är inte kallad till sammanträdet', `Enligt förbundets lista är du inte kallad till ${meetingText(m)}, så det finns inget förhinder att anmäla.`],
    refused: ['Förhindret kunde inte anmälas', `${meetingText(m)} har redan börjat eller är inställt, så förhinder kan inte längre anmälas via länken.`],
  }[o.why];
  const lead = text[1].charAt(0).toUpperCase() + text[1].slice(1);
  return frame(m, text[0], `<p class="lead">${e(lead)}</p>` + facts(m) + `<p>Har du frågor, kontakta ${contactText(o.contact)}.</p>`, o.contact);
}

/** Nothing was done (Temporal away, or an unexpected refusal): try again, or ask the secretary. */
export const failedPage = (o: { meeting: ForhinderMeeting; contact: Contact; unavailable: boolean }) => frame(o.meeting, 'Förhindret kunde inte anmälas', failedBody(o), o.contact);

/** A link whose token does not match (or a meeting no longer there): nothing about any meeting is shown. */
export const invalidLinkPage = (why: 'token' | 'gone') => linkInvalid({ why, from: 'inbjudan', forWhat: 'vill anmäla förhinder', style: STYLE });
