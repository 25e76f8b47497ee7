// The pages behind the personal justering link (api/styrelse.ts, services/links.ts signLink):
// the ordförande and each justerare read the protokoll as sent for justering (its §§ and
// decisions as text, and the exact PDF with its SHA-256), see who has signed, and justerar it
// with one button. The form carries the SHA-256 the page showed, so a protokoll changed in
// between is refused rather than signed unread. Once signed the link says when; once justerat,
// when and by whom.
//
// Swedish, plain semantic HTML in the look of the other public pages (layout.ts, forhinder.ts):
// the förbund's name in the top bar, one <main>, the meeting as a <dl>, buttons at least 44 px
// high; no scripts (the CSP allows none). Every text from the database is escaped.
import type { AgendaLine } from '../../domain/texts.js';
import { actionOf, meetingName, svDate, svInstant } from '../../domain/texts.js';
import { e, nb } from './layout.js';
import { contactText, facts, failedBody, invalidLinkPage as linkInvalid, linkFrame, type Contact, type LinkMeeting } from './lank.js';

const STYLE = `
.wrap{max-width:48rem}
.sha{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem;overflow-wrap:anywhere;word-break:break-all}
ol.paragraphs{list-style:none;margin:.25rem 0 1rem;padding:0}
ol.paragraphs>li{border-top:1px solid #c9d3dc;padding:.6rem 0;overflow-wrap:anywhere}
ol.paragraphs h3{font-size:1.05rem;margin:0 0 .25rem}
ul.signers{list-style:none;margin:.25rem 0 1rem;padding:0}
ul.signers>li{display:flex;flex-wrap:wrap;gap:.1rem .75rem;justify-content:space-between;padding:.4rem 0;border-top:1px solid #c9d3dc}
form.sign{margin:1.25rem 0 .5rem}
`;

export type SignerRole = 'ordforande' | 'justerare';
export const ROLE_NAME: Record<SignerRole, string> = { ordforande: 'Ordförande', justerare: 'Justerare' };

export type JusteringMeeting = LinkMeeting;

export interface JusteringSigner {
  name: string;
  role: SignerRole;
  /** When they signed (ISO instant); absent while they have not. */
  signedAt?: string;
}

export interface JusteringView {
  meeting: JusteringMeeting;
  /** The person the link is for. */
  person: { name: string; role: SignerRole };
  /** The protokoll's §§ and decisions as sent for justering. */
  items: AgendaLine[];
  /** SHA-256 (hex) of the PDF sent for justering. */
  sha256: string;
  /** The exact PDF, through the same link. */
  pdfHref: string;
  /** Where the form posts (the link's query, the token). */
  action: string;
  signers: JusteringSigner[];
  /** When this person signed ('YYYY-MM-DD HH:MM', Stockholm). */
  signedAt?: string;
  /** When the protokoll was justerat (ISO instant). */
  justeradAt?: string;
  contact: Contact;
  /** The förbund's anslagstavla, where the justering is made known. */
  anslagHref?: string;
  notice?: string;
}

/** 'styrelsens sammanträde den 26 februari 2037' */
const sammantrade = (m: JusteringMeeting) => `${meetingName('styrelse')} den ${svDate(m.when.date)}`;
/** 'Styrelsemöte 26 februari 2037' */
const meetingLabel = (m: JusteringMeeting) => `${m.title} ${svDate(m.when.date)}`;

const frame = (m: JusteringMeeting, heading: string, body: string, contact: Contact) => linkFrame({ meeting: m, heading, body, contact, pageTitle: meetingLabel(m), about: 'protokollet', style: STYLE });

/** The protokoll's §§ as text: '§ 6 Title (Dnr …)', the decision, who acts by when. */
function paragraphs(items: AgendaLine[]): string {
  if (!items.length) return `<p>Protokollet har inga paragrafer.</p>`;
  return (
    `<ol class="paragraphs">` +
    items
      .map((a) => {
        const head = `${a.paragraph !== undefined ? `§ ${a.paragraph}` : `${a.number}.`} ${a.title}${a.dnr ? ` (Dnr ${a.dnr})` : ''}`;
        const action = actionOf(a);
        return `<li><h3>${e(head)}</h3>` + (a.decision ? `<p class="decision"><strong>Beslut:</strong> ${e(a.decision)}</p>` : '') + (action ? `<p class="muted">${e(action)}</p>` : '') + `</li>`;
      })
      .join('') +
    `</ol>`
  );
}

function signerList(signers: JusteringSigner[]): string {
  return (
    `<ul class="signers">` +
    signers
      .map((s) => `<li><span>${e(s.name)}, ${e(ROLE_NAME[s.role].toLowerCase())}</span><span>${s.signedAt ? `Har justerat ${e(nb(svInstant(s.signedAt)))}` : '<strong>Har inte justerat ännu</strong>'}</span></li>`)
      .join('') +
    `</ul>`
  );
}

/** 'Eva Ärlig (ordförande) och Örjan Åkesson (justerare)' */
function signedBy(signers: JusteringSigner[]): string {
  const xs = signers.filter((s) => s.signedAt).map((s) => `${s.name} (${ROLE_NAME[s.role].toLowerCase()})`);
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} och ${xs[xs.length - 1]}`;
}

/** The document's facts: the PDF link and its SHA-256. */
function documentPart(v: JusteringView): string {
  return (
    `<h2 id="dokument">Protokollet som PDF</h2>` +
    `<p><a href="${e(v.pdfHref)}">Öppna protokollet (PDF)</a> – exakt den version som skickades för justering.</p>` +
    `<dl class="facts"><dt>SHA-256</dt><dd class="sha">${e(v.sha256)}</dd></dl>` +
    `<p class="muted">Kontrollsumman identifierar dokumentet: den version du justerar sparas med den.</p>`
  );
}

/** The state in one paragraph: justerat (when, by whom), signed by this person (when), or what is asked. */
function statePart(v: JusteringView): string {
  if (v.justeradAt)
    return `<p class="flash">Protokollet är justerat ${e(nb(svInstant(v.justeradAt)))}, av ${e(signedBy(v.signers))}.</p>`;
  if (v.signedAt) return `<p class="flash">Du justerade protokollet ${e(nb(svInstant(v.signedAt)))}. Protokollet är justerat när alla har justerat det.</p>`;
  return '';
}

/** The link opened: the meeting, the protokoll as text and as PDF, who has signed, and (while the person has not) the button. */
export function justeraPage(v: JusteringView): string {
  const m = v.meeting;
  const role = v.person.role === 'ordforande' ? 'Som ordförande justerar du protokollet' : 'Du är vald till justerare och ombeds justera protokollet';
  const open = !v.signedAt && !v.justeradAt;
  return frame(
    m,
    open ? 'Justera protokollet' : v.justeradAt ? 'Protokollet är justerat' : 'Du har justerat protokollet',
    (v.notice ? `<p class="notice">${e(v.notice)}</p>` : '') +
      `<p class="lead">${e(v.person.name)} (${e(ROLE_NAME[v.person.role].toLowerCase())}): ${open ? `${e(role)} från ${e(sammantrade(m))}.` : `det här är protokollet från ${e(sammantrade(m))}.`}</p>` +
      statePart(v) +
      facts(m) +
      `<h2 id="protokollet">Protokollets paragrafer</h2>` +
      paragraphs(v.items) +
      documentPart(v) +
      `<h2 id="underskrifter">Vem har justerat</h2>` +
      signerList(v.signers) +
      (open
        ? `<h2 id="justera">Justera</h2>` +
          `<p>Läs protokollet ovan eller i PDF-filen. Stämmer det inte, kontakta sekreteraren innan du justerar.</p>` +
          `<form class="sign" method="post" action="${e(v.action)}"><input type="hidden" name="sha256" value="${e(v.sha256)}">` +
          `<button type="submit">Jag har läst protokollet och justerar det</button></form>` +
          `<p class="muted">Tidpunkten, din adress (IP) och webbläsare sparas tillsammans med kontrollsumman.</p>`
        : ''),
    v.contact,
  );
}

/** The signature recorded: who, when, and whether the protokoll is now justerat (the last signature). */
export function signedPage(v: JusteringView & { signedAt: string }): string {
  const m = v.meeting;
  return frame(
    m,
    'Tack – din justering är registrerad',
    `<p class="lead">${e(v.person.name)} (${e(ROLE_NAME[v.person.role].toLowerCase())}) justerade den ${e(nb(svInstant(v.signedAt)))} protokollet från ${e(sammantrade(m))}.</p>` +
      (v.justeradAt
        ? `<p class="flash">Protokollet är nu justerat: alla har justerat det. Justeringen tillkännages på ${v.anslagHref ? `<a href="${e(v.anslagHref)}">förbundets anslagstavla</a>` : 'förbundets anslagstavla'}.</p>`
        : `<p class="flash">Din justering är sparad. Protokollet är justerat när alla har justerat det.</p>`) +
      `<dl class="facts"><dt>Justerat av</dt><dd>${e(v.person.name)}, ${e(ROLE_NAME[v.person.role].toLowerCase())}</dd><dt>Tidpunkt</dt><dd>${e(nb(svInstant(v.signedAt)))}</dd><dt>SHA-256</dt><dd class="sha">${e(v.sha256)}</dd></dl>` +
      facts(m) +
      `<h2 id="underskrifter">Vem har justerat</h2>` +
      signerList(v.signers),
    v.contact,
  );
}

/** The link does not act: the person is not a signer of this protokoll, the minutes have not been sent, or the workflow refused. */
export function closedPage(o: { meeting: JusteringMeeting; contact: Contact; why: 'not-signer' | 'not-sent' | 'refused' }): string {
  const m = o.meeting;
  const text = {
    'not-signer': ['Du justerar inte protokollet', `Enligt förbundets uppgifter är du varken ordförande eller justerare för protokollet från ${sammantrade(m)}.`],
    'not-sent': ['Protokollet är inte klart för justering', `Protokollet från ${sammantrade(m)} har inte skickats för justering ännu. Du får ett nytt e-postmeddelande när det är klart.`],
    refused: ['Justeringen kunde inte registreras', `Protokollet från ${sammantrade(m)} kan inte justeras via länken just nu, och inget har ändrats.`],
  }[o.why];
  return frame(m, text[0], `<p class="lead">${e(text[1])}</p>` + facts(m) + `<p>Har du frågor, kontakta ${contactText(o.contact)}.</p>`, o.contact);
}

/** Nothing was done (Temporal away, or an unexpected failure): try again, or ask the secretary. */
export const failedPage = (o: { meeting: JusteringMeeting; contact: Contact; unavailable: boolean }) => frame(o.meeting, 'Justeringen kunde inte registreras', failedBody(o), o.contact);

/** A link whose token does not match (or a meeting no longer there): nothing about any meeting is shown. */
export const invalidLinkPage = (why: 'token' | 'gone') => linkInvalid({ why, from: 'e-postmeddelandet', forWhat: 'ska justera ett protokoll', style: STYLE });
