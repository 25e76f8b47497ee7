// The förbund's public pages (no login): its start page, the board's sammanträden by year and
// each meeting with its föredragningslista, handlingar and decisions, the decisions by § with a
// search, and the projects (insatser) with a page each. What is public, and from when, is the
// rule of domain/offentlighet.ts, applied by services/offentligt.ts; these pages only show what
// they are given (the projects' reports: the publication rule of domain/publicering.ts).
//
// Swedish, plain semantic HTML in the look of the anslagstavla and the reports page (layout.ts):
// one top bar with the förbund's name and the public pages' navigation (publicNav, shared with
// api/pages/anslag.ts and api/pages/rapporter.ts), one <main>, facts as <dl>, no scripts (the CSP
// allows inline styles only), readable at 320 px. Every text from the database is escaped.
import type { IsoDate } from '../../domain/dates.js';
import { toStockholmDate, toStockholmTime } from '../../domain/dates.js';
import type { PublicProject, PublicReport } from '../../domain/publicering.js';
import { svDayDate, svTime } from '../../domain/texts.js';
import { HANDLING_KINDS, kindOfContentType, svSize } from '../../domain/handlingar.js';
import { FIGURES_STYLE } from './figurer.js';
import { date, e, nb, period, shell, svNumber } from './layout.js';
import { reportHtml } from './rapporter.js';
import type { PublicAgendaItem, PublicDecision, PublicFile, PublicMeeting } from '../../services/offentligt.js';

// --- addresses -------------------------------------------------------------------------------

const s = (slug: string) => `/forbund/${encodeURIComponent(slug)}`;
/** The public pages' addresses (paths) of a förbund. */
export const publicPaths = {
  start: (slug: string) => s(slug),
  moten: (slug: string, year?: number) => `${s(slug)}/moten${year !== undefined ? `?ar=${year}` : ''}`,
  motenIcs: (slug: string) => `${s(slug)}/moten.ics`,
  mote: (slug: string, id: string) => `${s(slug)}/moten/${encodeURIComponent(id)}`,
  kallelse: (slug: string, id: string) => `${s(slug)}/moten/${encodeURIComponent(id)}/kallelse.pdf`,
  handling: (slug: string, id: string) => `${s(slug)}/handlingar/${encodeURIComponent(id)}`,
  beslut: (slug: string) => `${s(slug)}/beslut`,
  anslag: (slug: string) => `${s(slug)}/anslag`,
  insatser: (slug: string) => `${s(slug)}/insatser`,
  insats: (slug: string, key: string) => `${s(slug)}/insatser/${encodeURIComponent(key)}`,
  rapporter: (slug: string) => `${s(slug)}/rapporter`,
  oparl: (slug: string) => `/oparl/v1/body/${encodeURIComponent(slug)}`,
};

// --- the shared navigation ---------------------------------------------------------------------

export type PublicSection = 'start' | 'moten' | 'beslut' | 'anslag' | 'insatser' | 'rapporter';

const SECTIONS: { key: PublicSection; text: string; href: (slug: string) => string }[] = [
  { key: 'start', text: 'Start', href: publicPaths.start },
  { key: 'moten', text: 'Sammanträden', href: (slug) => publicPaths.moten(slug) },
  { key: 'beslut', text: 'Beslut', href: publicPaths.beslut },
  { key: 'anslag', text: 'Anslagstavla', href: publicPaths.anslag },
  { key: 'insatser', text: 'Insatser', href: publicPaths.insatser },
  { key: 'rapporter', text: 'Rapporter', href: publicPaths.rapporter },
];

/**
 * The public pages' navigation: a <nav> with a link to each public page of the förbund. The
 * section of the page is marked: `aria-current="page"` on the section's own page, `"true"` on a
 * page within it (a meeting, a project) — `within: true`.
 */
export function publicNav(slug: string, current?: PublicSection, o: { within?: boolean } = {}): string {
  return (
    `<nav class="public" aria-label="Förbundets sidor"><ul>` +
    SECTIONS.map((x) => `<li><a href="${e(x.href(slug))}"${x.key === current ? ` aria-current="${o.within ? 'true' : 'page'}"` : ''}>${x.text}</a></li>`).join('') +
    `</ul></nav>`
  );
}

/** The style of the top bar with the navigation (added to a page's own style). */
export const PUBLIC_NAV_STYLE = `
header.site .brand{margin:0;font-weight:600;font-size:1.05rem}
header.site .brand a{color:#fff;text-decoration:none}
header.site .brand a:hover{text-decoration:underline}
header.site nav.public ul{display:flex;flex-wrap:wrap;gap:0 1.1rem;list-style:none;margin:.3rem 0 0;padding:0}
header.site nav.public li{margin:0}
header.site nav.public a{display:inline-block;color:#fff;padding:.3rem 0}
header.site nav.public a:hover{color:#fff4d6}
header.site nav.public a[aria-current]{font-weight:700;text-decoration-thickness:3px}
header.site a:focus-visible{color:#1b1b1b}
@media print{header.site nav.public{display:none}}
`;

/** The top bar of a public page: the förbund's name (to its start page) and the navigation. */
export function publicHeader(forbund: { slug: string; name: string }, current?: PublicSection, o: { within?: boolean } = {}): string {
  return `<header class="site"><div class="wrap"><p class="brand"><a href="${e(publicPaths.start(forbund.slug))}">${e(forbund.name)}</a></p>${publicNav(forbund.slug, current, o)}</div></header>`;
}

/** The footer of a public page: the förbund and its open data. */
export function publicFooter(forbund: { slug: string; name: string }, extra = ''): string {
  return `<footer><div class="wrap"><p>${e(forbund.name)}.${extra ? ` ${extra}` : ''} Styrelsens sammanträden, beslut och handlingar finns också som <a href="${e(publicPaths.oparl(forbund.slug))}">öppna data (OParl, JSON)</a>.</p></div></footer>`;
}

const VH = `.vh{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}`;

const STYLE = `
${VH}
dl.facts{grid-template-columns:minmax(0,max-content) minmax(0,1fr)}
dl.facts dd{overflow-wrap:anywhere}
ul.links{list-style:none;margin:.5rem 0;padding:0}
ul.links>li{border-top:1px solid #c9d3dc;padding:.6rem 0}
ul.links>li>a{font-weight:600}
ul.links>li>p{margin:.15rem 0 0}
ol.meetings,ol.items,ol.decisions,ul.projects,ul.files{list-style:none;margin:0;padding:0}
ol.meetings>li,ul.projects>li{border:1px solid #c9d3dc;border-left:6px solid #123b5c;border-radius:6px;padding:.8rem 1rem;margin:0 0 1rem;overflow-wrap:anywhere}
ol.meetings>li.cancelled{border-left-color:#5b6b7a;background:#f6f7f8}
ol.meetings h3,ul.projects h3{margin:0 0 .35rem}
ol.items>li,ol.decisions>li{border-top:1px solid #c9d3dc;padding:.8rem 0;overflow-wrap:anywhere}
ol.items h3,ol.decisions h3{margin:0 0 .35rem}
ul.files>li{margin:.3rem 0}
.tag{display:inline-block;font-size:.9rem;font-weight:700;padding:0 .45rem;border-radius:3px;border:2px solid #5b6b7a;margin-right:.25rem}
.tag.cancelled{background:#5c2a00;border-color:#5c2a00;color:#fff}
.decision{border-left:4px solid #1d6b38;padding:.1rem 0 .1rem .75rem;margin:.5rem 0}
.proposal{border-left:4px solid #c9d3dc;padding:.1rem 0 .1rem .75rem;margin:.5rem 0}
.years{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;margin:.5rem 0 1rem;padding:0}
.years a{display:inline-block;padding:.3rem 0}
.years a[aria-current]{font-weight:700;text-decoration-thickness:3px}
.subscribe{border:1px solid #c9d3dc;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
.subscribe h2{margin-top:0;border:none;padding:0;font-size:1.2rem}
.url{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95rem;overflow-wrap:anywhere;word-break:break-all;background:#f3f5f7;padding:.1rem .3rem}
form.search{margin:1rem 0 1.25rem}
form.search label{display:block;font-weight:600;margin:.6rem 0 .2rem}
form.search .hint{display:block;color:#4a4a4a;font-size:.95rem;margin:0 0 .3rem}
form.search .bar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:stretch}
form.search input[type=search]{font:inherit;color:#1b1b1b;background:#fff;border:2px solid #5b6b7a;border-radius:4px;padding:.45rem .55rem;min-height:2.75rem;flex:1 1 14rem;min-width:0;max-width:100%}
form.search select{font:inherit;color:#1b1b1b;background:#fff;border:2px solid #5b6b7a;border-radius:4px;padding:.45rem .55rem;min-height:2.75rem;max-width:100%}
form.search button{font:inherit;font-weight:600;cursor:pointer;min-height:2.75rem;padding:.5rem 1.25rem;border-radius:4px;border:2px solid #123b5c;background:#123b5c;color:#fff}
form.search button:hover{background:#0c2a42}
form.search input:focus-visible,form.search select:focus-visible,form.search button:focus-visible{outline:3px solid #b45309;outline-offset:2px}
nav.pager ul{display:flex;flex-wrap:wrap;gap:.5rem 2rem;list-style:none;padding:0;margin:.5rem 0}
nav.pager a{display:inline-block;padding:.3rem 0}
table.grants{width:auto}
table.grants th{font-weight:600}
table.grants th[scope=row]{font-weight:400}
table.grants th[scope=col]:last-child{text-align:right}
@media (max-width:30rem){dl.facts{grid-template-columns:1fr;gap:0}dl.facts dd{margin-bottom:.35rem}ol.meetings>li,ul.projects>li{padding:.7rem}}
`;

/** A public page: the top bar with the navigation, the page, the footer; under the shared look. */
function page(title: string, forbund: { slug: string; name: string }, current: PublicSection | undefined, main: string, o: { within?: boolean; style?: string; footer?: string } = {}): string {
  return shell(`${title} – ${forbund.name}`, publicHeader(forbund, current, o) + `<main id="innehall" tabindex="-1"><div class="wrap">${main}</div></main>` + publicFooter(forbund, o.footer), {
    style: PUBLIC_NAV_STYLE + STYLE + (o.style ?? ''),
  });
}

/** Paragraphs at blank lines, line breaks kept; text only. */
function paragraphs(text: string, cls = ''): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p${cls ? ` class="${cls}"` : ''}>${e(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** '1 210 000 kr' */
export const kronor = (n: number) => `${svNumber(n)}\u00a0kr`;

/** The page for what is not here (an unknown meeting, a handling that is not public, a project not listed). */
export function publicNotFoundPage(forbund: { slug: string; name: string }, what: string): string {
  return page('Sidan finns inte', forbund, undefined, `<h1>Sidan finns inte</h1><p>${e(what)} Kontrollera länken, eller börja från <a href="${e(publicPaths.start(forbund.slug))}">förbundets startsida</a>.</p>`);
}

// --- the start page ----------------------------------------------------------------------------

/** What the pages show of a meeting (services/offentligt.ts says what is public). */
export type PublicMeetingView = Pick<PublicMeeting, 'id' | 'year' | 'title' | 'startsAt' | 'endsAt' | 'location' | 'cancelled' | 'kallelseSentAt' | 'justeradAt' | 'protokollHref' | 'kallelseHref'>;

export interface BoardSeatView {
  name: string;
  roleSv: string;
  memberName?: string | null;
}

export interface StartView {
  forbund: { slug: string; name: string };
  today: IsoDate;
  members: string[];
  board: BoardSeatView[];
  next: PublicMeetingView[];
}

const when = (m: { startsAt: Date; endsAt: Date }) => {
  const start = toStockholmTime(m.startsAt);
  const end = toStockholmTime(m.endsAt);
  return start === '00:00' && end === '23:59' ? 'hela dagen' : `kl. ${svTime(start)}–${svTime(end)}`;
};
const meetingDay = (m: { startsAt: Date }) => toStockholmDate(m.startsAt);
const meetingName = (m: { title: string; startsAt: Date }) => `${m.title} ${date(meetingDay(m))}`;

export function startPage(v: StartView): string {
  const slug = v.forbund.slug;
  const links: [string, string, string][] = [
    [publicPaths.moten(slug), 'Sammanträden', 'Styrelsens sammanträden år för år: tid och plats, kallelse och föredragningslista med handlingar, protokoll och beslut. Kalendern går att prenumerera på.'],
    [publicPaths.beslut(slug), 'Beslut', 'Styrelsens beslut paragraf för paragraf ur justerade protokoll, sökbara.'],
    [publicPaths.anslag(slug), 'Anslagstavla', 'Tillkännagivanden om justerade protokoll och tiden för att överklaga.'],
    [publicPaths.insatser(slug), 'Insatser', 'De insatser förbundet finansierar: syfte, period, huvudman, beviljade medel och mål.'],
    [publicPaths.rapporter(slug), 'Rapporter', 'Insatsernas publicerade rapporter, med sammanställda uppgifter om deltagarna.'],
    [publicPaths.oparl(slug), 'Öppna data', 'Sammanträden, beslut och handlingar som maskinläsbara data enligt standarden OParl (JSON).'],
  ];
  const members = v.members.length ? `<section aria-labelledby="medlemmar"><h2 id="medlemmar">Medlemmar</h2><ul>${v.members.map((m) => `<li>${e(m)}</li>`).join('')}</ul></section>` : '';
  const board = v.board.length
    ? `<section aria-labelledby="styrelsen"><h2 id="styrelsen">Styrelsen</h2><ul>${v.board.map((p) => `<li>${e(p.name)}, ${e(p.roleSv.toLowerCase())}${p.memberName ? ` (${e(p.memberName)})` : ''}</li>`).join('')}</ul></section>`
    : '';
  const next = v.next.length
    ? `<ul>${v.next.map((m) => `<li><a href="${e(publicPaths.mote(slug, m.id))}">${e(m.title)}, ${nb(svDayDate(meetingDay(m)))}</a> ${when(m)}${m.location ? `, ${e(m.location)}` : ''}${m.cancelled ? ' <span class="tag cancelled">Inställt</span>' : ''}</li>`).join('')}</ul>`
    : `<p>Inga fler sammanträden är inlagda.</p>`;
  const main =
    `<h1>${e(v.forbund.name)}</h1>` +
    `<p class="lead">${e(v.forbund.name)} är ett samordningsförbund enligt lagen (2003:1210) om finansiell samordning av rehabiliteringsinsatser. I förbundet samverkar Försäkringskassan, Arbetsförmedlingen, regionen och kommunerna för att personer som behöver samordnat stöd ska komma i arbete eller studier. Förbundet finansierar insatser som medlemmarna driver tillsammans.</p>` +
    `<p>Styrelsens protokoll och handlingar är allmänna handlingar. Här finns det som förbundet har publicerat.</p>` +
    `<nav aria-labelledby="pa-webbplatsen"><h2 id="pa-webbplatsen">Här finns</h2><ul class="links">${links.map(([href, text, what]) => `<li><a href="${e(href)}">${text}</a><p>${what}</p></li>`).join('')}</ul></nav>` +
    `<section aria-labelledby="nasta"><h2 id="nasta">Kommande sammanträden</h2>${next}<p><a href="${e(publicPaths.moten(slug))}#prenumerera">Prenumerera på styrelsens kalender</a></p></section>` +
    board +
    members;
  return page('Start', v.forbund, 'start', main);
}

// --- the board's meetings by year ----------------------------------------------------------------

export interface MeetingsView {
  forbund: { slug: string; name: string };
  /** Stockholm today: a meeting before it without a kallelse here was called outside Årscykel (before go-live). */
  today: IsoDate;
  year: number;
  years: number[];
  meetings: PublicMeetingView[];
  /** The ICS feed's absolute address. */
  icsUrl: string;
}

/** A meeting held without its kallelse sent here: called outside Årscykel (before the förbund began using it). */
const calledElsewhere = (m: PublicMeetingView, today: IsoDate) => !m.kallelseSentAt && !m.cancelled && meetingDay(m) < today;
const ASK_THE_FORBUND = 'Kallelse, handlingar och protokoll till det här sammanträdet finns inte publicerade här. De är allmänna handlingar och kan begäras ut från förbundet.';

function meetingState(m: PublicMeetingView, today: IsoDate): string {
  if (m.cancelled) return 'Sammanträdet är inställt.';
  if (m.justeradAt) return `Protokollet justerades ${date(toStockholmDate(m.justeradAt))}.`;
  if (m.kallelseSentAt) return `Kallelsen skickades ${date(toStockholmDate(m.kallelseSentAt))}.`;
  if (calledElsewhere(m, today)) return ASK_THE_FORBUND;
  return 'Kallelsen är inte skickad ännu.';
}

export function meetingsPage(v: MeetingsView): string {
  const slug = v.forbund.slug;
  const years = v.years.length > 1 || (v.years.length === 1 && v.years[0] !== v.year)
    ? `<nav aria-label="År"><ul class="years">${[...new Set([...v.years, v.year])].sort((a, b) => a - b).map((y) => `<li><a href="${e(publicPaths.moten(slug, y))}"${y === v.year ? ' aria-current="page"' : ''}>${y}</a></li>`).join('')}</ul></nav>`
    : '';
  const item = (m: PublicMeetingView) => {
    const id = `mote-${m.id.replace(/[^\w-]/g, '')}`;
    const docs = [
      m.kallelseHref ? `<li><a href="${e(m.kallelseHref)}">Kallelse (PDF)<span class="vh">, ${e(meetingName(m))}</span></a></li>` : '',
      m.protokollHref ? `<li><a href="${e(m.protokollHref)}">Protokoll (PDF)<span class="vh">, ${e(meetingName(m))}</span></a></li>` : '',
    ].join('');
    return (
      `<li${m.cancelled ? ' class="cancelled"' : ''}><h3 id="${id}"><a href="${e(publicPaths.mote(slug, m.id))}">${e(m.title)} ${date(meetingDay(m))}</a>${m.cancelled ? ' <span class="tag cancelled">Inställt</span>' : ''}</h3>` +
      `<dl class="facts"><dt>Dag och tid</dt><dd>${nb(svDayDate(meetingDay(m)))}, ${when(m)}</dd>${m.location ? `<dt>Plats</dt><dd>${e(m.location)}</dd>` : ''}</dl>` +
      `<p>${meetingState(m, v.today)}</p>` +
      (docs ? `<ul class="files" aria-label="Handlingar till ${e(meetingName(m))}">${docs}</ul>` : '') +
      `</li>`
    );
  };
  const main =
    `<h1>Styrelsens sammanträden ${v.year}</h1>` +
    `<p class="lead">Styrelsens sammanträden med tid och plats. När kallelsen har skickats finns föredragningslistan och handlingarna här, och när protokollet är justerat besluten och protokollet.</p>` +
    years +
    (v.meetings.length ? `<ol class="meetings" aria-label="Sammanträden ${v.year}">${v.meetings.map(item).join('')}</ol>` : `<p>Styrelsen har inga sammanträden inlagda för ${v.year}.</p>`) +
    `<section class="subscribe" aria-labelledby="prenumerera"><h2 id="prenumerera">Prenumerera på kalendern</h2>` +
    `<p>Styrelsens sammanträden i år och nästa år finns som kalender. Prenumerera på den, så visas ändrade och inställda sammanträden i din kalender av sig själv. Kopiera adressen:</p>` +
    `<p><span class="url">${e(v.icsUrl)}</span></p>` +
    `<ul><li>Outlook: Lägg till kalender, Prenumerera från webben, och klistra in adressen.</li><li>Google Kalender: Andra kalendrar, plustecknet, Från webbadress, och klistra in adressen.</li><li>Apple Kalender: Arkiv, Ny kalenderprenumeration, och klistra in adressen.</li></ul>` +
    `<p><a href="${e(publicPaths.motenIcs(slug))}">Hämta kalendern som fil (ICS)</a></p></section>`;
  return page(`Styrelsens sammanträden ${v.year}`, v.forbund, 'moten', main);
}

// --- one meeting -------------------------------------------------------------------------------

export type PublicFileView = Pick<PublicFile, 'id' | 'title' | 'contentType' | 'size'>;

export type PublicAgendaItemView = Pick<PublicAgendaItem, 'id' | 'number' | 'title' | 'proposal' | 'paragraph' | 'decision'> & { matter: Pick<NonNullable<PublicAgendaItem['matter']>, 'dnr'> | null; files: PublicFileView[] };

export interface MeetingView {
  forbund: { slug: string; name: string };
  today: IsoDate;
  meeting: PublicMeetingView & { agenda: PublicAgendaItemView[] };
}

/** 'PDF, 120 kB' */
const fileFacts = (f: PublicFileView) => {
  const kind = kindOfContentType(f.contentType);
  return `${kind ? HANDLING_KINDS[kind].sv : 'fil'}, ${nb(svSize(f.size))}`;
};

export function filesHtml(slug: string, files: PublicFileView[]): string {
  return files.length ? `<ul class="files">${files.map((f) => `<li><a href="${e(publicPaths.handling(slug, f.id))}">${e(f.title)}</a> <span class="muted">(${fileFacts(f)})</span></li>`).join('')}</ul>` : '';
}

export function meetingPage(v: MeetingView): string {
  const slug = v.forbund.slug;
  const m = v.meeting;
  const day = meetingDay(m);
  const items = m.agenda
    .map((i) => {
      const decided = m.justeradAt && i.paragraph !== null;
      return (
        `<li><h3>${i.number}. ${e(i.title)}</h3>` +
        (i.matter || decided ? `<dl class="facts">${decided ? `<dt>Paragraf</dt><dd>§&nbsp;${i.paragraph}</dd>` : ''}${i.matter ? `<dt>Diarienummer</dt><dd>${e(i.matter.dnr)}</dd>` : ''}</dl>` : '') +
        (i.proposal ? `<div class="proposal"><p><strong>Förslag till beslut</strong></p>${paragraphs(i.proposal)}</div>` : '') +
        (i.files.length ? `<p><strong>Handlingar</strong></p>${filesHtml(slug, i.files)}` : '') +
        (decided && i.decision ? `<div class="decision"><p><strong>Beslut</strong></p>${paragraphs(i.decision)}</div>` : '') +
        `</li>`
      );
    })
    .join('');
  const elsewhere = calledElsewhere(m, v.today);
  const agenda = !m.kallelseSentAt
    ? `<p>${elsewhere ? ASK_THE_FORBUND : 'Föredragningslistan och handlingarna publiceras här när kallelsen har skickats.'}</p>`
    : m.agenda.length
      ? `<ol class="items" aria-label="Ärenden">${items}</ol>`
      : `<p>Föredragningslistan har inga ärenden.</p>`;
  const docs = [
    m.kallelseHref ? `<li><a href="${e(m.kallelseHref)}">Kallelse med föredragningslista (PDF)</a></li>` : '',
    m.protokollHref ? `<li><a href="${e(m.protokollHref)}">Protokoll (PDF)</a></li>` : '',
  ].join('');
  const main =
    `<p><a href="${e(publicPaths.moten(slug, m.year))}">Alla sammanträden ${m.year}</a></p>` +
    `<h1>${e(m.title)} ${date(day)}</h1>` +
    (m.cancelled ? `<p class="notice"><strong>Sammanträdet är inställt.</strong></p>` : '') +
    `<dl class="facts"><dt>Dag och tid</dt><dd>${nb(svDayDate(day))}, ${when(m)}</dd>` +
    (m.location ? `<dt>Plats</dt><dd>${e(m.location)}</dd>` : '') +
    `<dt>Kallelse</dt><dd>${m.kallelseSentAt ? `skickad ${date(toStockholmDate(m.kallelseSentAt))}` : elsewhere ? 'inte publicerad här' : 'inte skickad ännu'}</dd>` +
    `<dt>Protokoll</dt><dd>${m.justeradAt ? `justerat ${date(toStockholmDate(m.justeradAt))}` : elsewhere ? 'inte publicerat här' : 'inte justerat'}</dd></dl>` +
    (docs ? `<ul class="files" aria-label="Kallelse och protokoll">${docs}</ul>` : '') +
    `<section aria-labelledby="foredragningslista"><h2 id="foredragningslista">Föredragningslista${m.justeradAt ? ' och beslut' : ''}</h2>${agenda}` +
    (m.kallelseSentAt && !m.justeradAt ? `<p class="muted">Besluten publiceras när protokollet har justerats.</p>` : '') +
    `</section>`;
  return page(`${m.title} ${date(day).replace(/\u00a0/g, ' ')}`, v.forbund, 'moten', main, { within: true });
}

// --- the decisions -----------------------------------------------------------------------------

export type PublicDecisionView = Pick<PublicDecision, 'meetingId' | 'meetingDate' | 'paragraph' | 'title' | 'decision' | 'dnr'>;

export interface DecisionsView {
  forbund: { slug: string; name: string };
  q: string;
  year: number | null;
  years: number[];
  page: number;
  pages: number;
  total: number;
  items: PublicDecisionView[];
  /** The address of another page of the same search. */
  pageHref: (page: number) => string;
}

export function decisionsPage(v: DecisionsView): string {
  const slug = v.forbund.slug;
  const form =
    `<form class="search" method="get" action="${e(publicPaths.beslut(slug))}" role="search">` +
    `<label for="q">Sök bland besluten</label><span class="hint" id="q-hint">Sök på ord i ärendets rubrik eller beslutet, eller på diarienummer, till exempel 2037-00012.</span>` +
    `<div class="bar"><input type="search" id="q" name="q" value="${e(v.q)}" aria-describedby="q-hint" maxlength="200">` +
    `</div>` +
    `<label for="ar">År</label><div class="bar"><select id="ar" name="ar"><option value=""${v.year === null ? ' selected' : ''}>Alla år</option>${v.years.map((y) => `<option value="${y}"${y === v.year ? ' selected' : ''}>${y}</option>`).join('')}</select>` +
    `<button type="submit">Sök</button></div></form>`;
  const what = v.q ? ` som matchar ”${e(v.q)}”` : '';
  const inYear = v.year !== null ? ` ${v.year}` : '';
  const count = v.total
    ? `<p>${v.total === 1 ? 'Ett beslut' : `${svNumber(v.total)} beslut`}${what}${v.year !== null ? ` från ${v.year}` : ''}.${v.pages > 1 ? ` Sida ${v.page} av ${v.pages}.` : ''}</p>`
    : `<p>Inga beslut${what}${v.year !== null ? ` från ${v.year}` : ''}.${v.q || v.year !== null ? ` <a href="${e(publicPaths.beslut(slug))}">Visa alla beslut</a>` : ''}</p>`;
  const items = v.items
    .map(
      (d) =>
        `<li><h3>§&nbsp;${d.paragraph} ${e(d.title)}</h3>` +
        `<dl class="facts"><dt>Sammanträde</dt><dd><a href="${e(publicPaths.mote(slug, d.meetingId))}">Styrelsen ${date(d.meetingDate)}</a></dd>${d.dnr ? `<dt>Diarienummer</dt><dd>${e(d.dnr)}</dd>` : ''}</dl>` +
        `<div class="decision">${paragraphs(d.decision)}</div></li>`,
    )
    .join('');
  const pager =
    v.pages > 1
      ? `<nav class="pager" aria-label="Sidor"><ul>${v.page > 1 ? `<li><a href="${e(v.pageHref(v.page - 1))}" rel="prev">Föregående sida<span class="vh"> (sida ${v.page - 1} av ${v.pages})</span></a></li>` : ''}${v.page < v.pages ? `<li><a href="${e(v.pageHref(v.page + 1))}" rel="next">Nästa sida<span class="vh"> (sida ${v.page + 1} av ${v.pages})</span></a></li>` : ''}</ul></nav>`
      : '';
  const main =
    `<h1>Styrelsens beslut${inYear}</h1>` +
    `<p class="lead">Styrelsens beslut paragraf för paragraf, ur protokoll som är justerade. Nyaste först.</p>` +
    form +
    `<section aria-labelledby="traffar"><h2 id="traffar">${v.q ? 'Sökresultat' : 'Beslut'}</h2>${count}` +
    (v.items.length ? `<ol class="decisions">${items}</ol>` : '') +
    pager +
    `</section>`;
  return page(`Styrelsens beslut${inYear}${v.q ? `, sökning: ${v.q}` : ''}${v.pages > 1 ? `, sida ${v.page}` : ''}`, v.forbund, 'beslut', main);
}

// --- the projects ------------------------------------------------------------------------------

export interface ProjectFacts {
  key: string;
  purpose: string;
  dnr: string | null;
  grants: Record<string, number>;
  goals: string[];
}

export interface ProjectsView {
  forbund: { slug: string; name: string };
  today: IsoDate;
  projects: (PublicProject & { facts: ProjectFacts })[];
}

/** The first sentence (or the first 200 characters) of a purpose, for the list. */
function firstSentence(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const m = /^(.{20,}?[.!?])\s/.exec(t);
  const one = m ? m[1] : t;
  return one.length > 240 ? `${one.slice(0, 237).replace(/\s+\S*$/, '')} …` : one;
}

export function projectsPage(v: ProjectsView): string {
  const slug = v.forbund.slug;
  const list = (stage: PublicProject['stage']) => {
    const ps = v.projects.filter((p) => p.stage === stage);
    return ps.length
      ? `<ul class="projects">${ps
          .map(
            (p) =>
              `<li><h3><a href="${e(publicPaths.insats(slug, p.key))}">${e(p.name)}</a></h3>` +
              `<dl class="facts"><dt>Period</dt><dd>${period(p.start, p.end)}</dd>${p.huvudman.trim() ? `<dt>Huvudman</dt><dd>${e(p.huvudman)}</dd>` : ''}</dl>` +
              (p.facts.purpose.trim() ? `<p>${e(firstSentence(p.facts.purpose))}</p>` : '') +
              `</li>`,
          )
          .join('')}</ul>`
      : `<p>${stage === 'ongoing' ? 'Förbundet har inga pågående insatser just nu.' : 'Inga avslutade insatser finns på sidan.'}</p>`;
  };
  const main =
    `<h1>Insatser</h1>` +
    `<p class="lead">De insatser ${e(v.forbund.name)} finansierar tillsammans med sina medlemmar: vad de är till för, vem som driver dem, beviljade medel och mål. Varje insats har en egen sida med sin senaste publicerade rapport.</p>` +
    `<p class="muted">Sidan visar läget den ${date(v.today)}.</p>` +
    `<section aria-labelledby="pagaende"><h2 id="pagaende">Pågående insatser</h2>${list('ongoing')}</section>` +
    `<section aria-labelledby="avslutade"><h2 id="avslutade">Avslutade insatser</h2>${list('ended')}</section>`;
  return page('Insatser', v.forbund, 'insatser', main);
}

export interface ProjectView {
  forbund: { slug: string; name: string };
  today: IsoDate;
  project: PublicProject & { facts: ProjectFacts };
}

const NO_REPORT: Record<NonNullable<PublicProject['noReport']>, string> = {
  'none-submitted': 'Ingen rapport har publicerats ännu.',
  'none-owed': 'Insatsen lämnar inga rapporter som publiceras.',
  'final-not-submitted': 'Insatsen är avslutad. Slutrapporten är inte inlämnad.',
  'no-final-owed': 'Insatsen lämnar ingen slutrapport.',
};

/** The report's headings one level up (h4 → h3, h5 → h4): on the project's page it sits under an h2. */
const headingsUp = (html: string) => html.replace(/<(\/?)h([45])(?=[\s>])/g, (_m, close: string, n: string) => `<${close}h${Number(n) - 1}`);

export function projectPage(v: ProjectView): string {
  const slug = v.forbund.slug;
  const p = v.project;
  const f = p.facts;
  const id = `insats-${p.key.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`;
  const grants = Object.entries(f.grants)
    .filter(([y, n]) => /^\d{4}$/.test(y) && typeof n === 'number' && Number.isFinite(n))
    .sort(([a], [b]) => a.localeCompare(b));
  const report: PublicReport | undefined = p.report;
  const main =
    `<p><a href="${e(publicPaths.insatser(slug))}">Alla insatser</a></p>` +
    `<h1>${e(p.name)}</h1>` +
    (f.purpose.trim() ? `<div class="lead">${paragraphs(f.purpose)}</div>` : '') +
    `<dl class="facts"><dt>Period</dt><dd>${period(p.start, p.end)}</dd>` +
    `<dt>Läge</dt><dd>${p.stage === 'ongoing' ? 'Pågående' : 'Avslutad'}</dd>` +
    (p.huvudman.trim() ? `<dt>Huvudman</dt><dd>${e(p.huvudman)}</dd>` : '') +
    (f.dnr ? `<dt>Diarienummer</dt><dd>${e(f.dnr)}</dd>` : '') +
    `</dl>` +
    `<section aria-labelledby="medel"><h2 id="medel">Beviljade medel</h2>` +
    (grants.length
      ? `<table class="grants"><caption class="vh">Beviljade medel per år</caption><thead><tr><th scope="col">År</th><th scope="col">Belopp</th></tr></thead><tbody>${grants.map(([y, n]) => `<tr><th scope="row">${y}</th><td>${kronor(n)}</td></tr>`).join('')}</tbody></table>`
      : `<p>Inga medel är beviljade.</p>`) +
    `</section>` +
    `<section aria-labelledby="mal"><h2 id="mal">Mål</h2>${f.goals.length ? `<ul>${f.goals.map((g) => `<li>${e(g)}</li>`).join('')}</ul>` : '<p>Inga mål är angivna.</p>'}</section>` +
    `<section aria-labelledby="rapport"><h2 id="rapport">Publicerad rapport</h2>` +
    (report ? headingsUp(reportHtml(report, id)) : `<p class="notice">${NO_REPORT[p.noReport ?? 'none-submitted']}</p>`) +
    `<p>Rapporterna från alla insatser finns under <a href="${e(publicPaths.rapporter(slug))}">Rapporter</a>. För en pågående insats publiceras den senaste rapporten, för en avslutad bara slutrapporten.</p>` +
    `</section>`;
  return page(p.name, v.forbund, 'insatser', main, { within: true, style: FIGURES_STYLE });
}

