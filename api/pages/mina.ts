// Everyone's own pages, as HTML from what api/admin/mina.ts loads: the start page of a ledamot or
// ersättare, a revisor or a samordnare (a section for each role the person holds), "Mina möten" and
// one meeting with its handlingar, "Mina förhinder", "Medlemmarnas beslut", the revisor's page and
// the samordnare's reports.
//
// The look of the staff's pages (layout.ts ADMIN_STYLE), with a menu of the person's own pages
// only. Swedish, server-rendered, no scripts; GOV.UK patterns: a summary list (dl.facts) for a
// meeting's facts, a task list for the reports (each with its state as a tag), a confirmation page
// before a förhinder is reported. Every text from the database is escaped.
import type { IsoDate } from '../../domain/dates.js';
import { flash, hidden, type Flash } from './admin.js';
import { ADMIN_STYLE, date, e, shell } from './layout.js';

export type OwnMenuId = 'start' | 'moten' | 'forhinder' | 'beslut' | 'revision' | 'rapporter' | 'other';

export interface OwnChrome {
  forbundName: string;
  name: string;
  /** The person's roles in Swedish: 'ledamot', 'revisor, samordnare'. */
  rolesSv: string;
  /** The menu: only the person's own pages. */
  menu: { id: OwnMenuId; href: string; text: string }[];
  current: OwnMenuId;
  /** A person of several förbund may change. */
  several: boolean;
}

const header = (c: OwnChrome) =>
  `<header class="site"><div class="wrap bar">` +
  `<p class="brand">${e(c.forbundName)}</p>` +
  `<nav aria-label="Huvudmeny"><ul>` +
  c.menu.map((m) => `<li><a href="${e(m.href)}"${c.current === m.id ? ' aria-current="page"' : ''}>${e(m.text)}</a></li>`).join('') +
  `</ul></nav>` +
  `<form method="post" action="/admin/logga-ut"><span class="who">${e(c.name)}${c.rolesSv ? `, ${e(c.rolesSv)}` : ''}</span><button type="submit" class="link">Logga ut</button></form>` +
  `</div></header>`;

const STYLE = `
ul.handlingar{list-style:none;margin:.25rem 0 .5rem;padding:0}
ul.handlingar>li{padding:.3rem 0;overflow-wrap:anywhere}
.links{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;margin:.5rem 0}
.links a{padding:.35rem 0}
ul.cards>li>h2{font-size:1.2rem;border:none;margin:0 0 .5rem;padding:0}
`;

/** An own page: the person's menu, the title, the body inside <main>. */
export function ownPage(title: string, body: string, c: OwnChrome): string {
  return shell(`${title} – Årscykel`, `<main id="innehall" tabindex="-1"><div class="wrap">${body}</div></main>`, { header: header(c), style: ADMIN_STYLE + STYLE });
}

const linkList = (links: { href: string; text: string }[]) => (links.length ? `<ul class="plain">${links.map((l) => `<li><a href="${e(l.href)}">${e(l.text)}</a></li>`).join('')}</ul>` : '');

/** A refusal or a message, in the person's own chrome. */
export function ownMessagePage(o: { chrome: OwnChrome; title: string; paragraphs: string[]; links?: { href: string; text: string }[] }): string {
  return ownPage(o.title, `<h1>${e(o.title)}</h1>` + o.paragraphs.map((p) => `<p>${e(p)}</p>`).join('') + linkList(o.links ?? []), o.chrome);
}

const facts = (rows: [string, string][]) => `<dl class="facts">${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
const tag = (text: string, kind = '') => `<strong class="tag${kind ? ` ${kind}` : ''}">${e(text)}</strong>`;
export const SECRET_TAG = 'Sekretess enligt OSL';

/** A year's links: the years before and after ('Föregående år'). */
const yearNav = (path: string, year: number, label: string) =>
  `<nav class="onpage" aria-label="${e(label)}"><ul><li><a href="${e(path)}?ar=${year - 1}">${year - 1}</a></li><li><a href="${e(path)}?ar=${year + 1}">${year + 1}</a></li></ul></nav>`;

// --- the start page -----------------------------------------------------------------------

export interface StartView {
  chrome: OwnChrome;
  name: string;
  board?: { seatText: string; next?: { title: string; when: string; status: string; href: string }; links: { href: string; text: string }[] };
  auditor?: { lines: string[]; links: { href: string; text: string }[] };
  coordinator?: { lines: string[]; late: number; links: { href: string; text: string }[] };
}

export function startPage(v: StartView): string {
  const sections: string[] = [];
  if (v.board) {
    sections.push(
      `<section aria-labelledby="styrelsen"><h2 id="styrelsen">Styrelsen</h2>` +
        `<p>${e(v.board.seatText)}</p>` +
        (v.board.next
          ? `<h3>Nästa sammanträde</h3>` + facts([['Möte', v.board.next.title], ['När', v.board.next.when], ['Du', v.board.next.status]]) + `<p><a href="${e(v.board.next.href)}">Mötets handlingar<span class="vh"> till ${e(v.board.next.title)} ${e(v.board.next.when)}</span></a></p>`
          : `<p>Styrelsen har inga fler sammanträden planerade i år.</p>`) +
        linkList(v.board.links) +
        `</section>`,
    );
  }
  if (v.auditor) {
    sections.push(`<section aria-labelledby="revision"><h2 id="revision">Revision</h2>` + v.auditor.lines.map((l) => `<p>${e(l)}</p>`).join('') + linkList(v.auditor.links) + `</section>`);
  }
  if (v.coordinator) {
    sections.push(
      `<section aria-labelledby="insatser"><h2 id="insatser">Dina insatsers rapporter</h2>` +
        (v.coordinator.late ? `<p>${tag(v.coordinator.late === 1 ? '1 rapport försenad' : `${v.coordinator.late} rapporter försenade`, 'late')}</p>` : '') +
        v.coordinator.lines.map((l) => `<p>${e(l)}</p>`).join('') +
        linkList(v.coordinator.links) +
        `</section>`,
    );
  }
  return ownPage(
    'Mina sidor',
    `<h1>Mina sidor</h1>` +
      `<p class="lead">Du är inloggad som ${e(v.name)} i ${e(v.chrome.forbundName)}. Här finns det som rör dig; du kan läsa men inte ändra förbundets uppgifter.</p>` +
      sections.join('') +
      (v.chrome.several ? `<p><a href="/admin/valj-forbund">Byt förbund</a></p>` : ''),
    v.chrome,
  );
}

// --- the board's meetings -----------------------------------------------------------------

export interface MeetingCardView {
  id: string;
  title: string;
  when: string;
  place: string | null;
  stage: string;
  stageTag: '' | 'done' | 'warn' | 'gone';
  href: string;
  cancelled: boolean;
  links: { href: string; text: string }[];
}

export function meetingsPage(o: { chrome: OwnChrome; year: number; meetings: MeetingCardView[] }): string {
  const cards = o.meetings.length
    ? `<ul class="cards">` +
      o.meetings
        .map(
          (m) =>
            `<li${m.cancelled ? ' class="cancelled"' : ''}><h2><a href="${e(m.href)}">${e(m.title)} ${e(m.when)}</a></h2>` +
            `<p class="status">${tag(m.stage, m.stageTag)}</p>` +
            (m.place ? `<p>Plats: ${e(m.place)}</p>` : '') +
            (m.links.length ? `<div class="links">${m.links.map((l) => `<a href="${e(l.href)}">${e(l.text)}<span class="vh"> ${e(m.title)} ${e(m.when)}</span></a>`).join('')}</div>` : '') +
            `</li>`,
        )
        .join('') +
      `</ul>`
    : `<p>Styrelsen har inga sammanträden ${o.year} i Årscykel.</p>`;
  return ownPage(
    `Mina möten ${o.year}`,
    `<h1>Mina möten ${o.year}</h1>` +
      `<p class="lead">Styrelsens sammanträden ${o.year}. Kallelsen med föredragningslistan och handlingarna finns här när kallelsen har skickats, och protokollet när det är justerat.</p>` +
      cards +
      yearNav('/admin/mina-moten', o.year, 'Andra år'),
    o.chrome,
  );
}

export interface HandlingLinkView {
  href: string;
  title: string;
  type: string;
  secret: boolean;
}

export interface ItemView {
  number: number;
  title: string;
  dnr?: string;
  proposal?: string;
  links: { title: string; url: string }[];
  handlingar: HandlingLinkView[];
}

const handlingItem = (h: HandlingLinkView) => `<li><a href="${e(h.href)}">${e(h.title)}</a> <span class="muted">(${e(h.type)})</span>${h.secret ? ` ${tag(SECRET_TAG, 'warn')}` : ''}</li>`;

export function meetingPage(o: { chrome: OwnChrome; title: string; when: string; facts: [string, string][]; note?: string; links: { href: string; text: string }[]; items: ItemView[]; secretNote: boolean }): string {
  const items = o.items.length
    ? `<section aria-labelledby="lista"><h2 id="lista">Föredragningslista och handlingar</h2>` +
      (o.secretNote ? `<p class="notice">Handlingar märkta ${e(SECRET_TAG)} omfattas av sekretess enligt offentlighets- och sekretesslagen. Du får läsa dem som ledamot eller ersättare; lämna inte ut dem.</p>` : '') +
      `<ol class="items">` +
      o.items
        .map(
          (i) =>
            `<li><h3>${i.number}. ${e(i.title)}${i.dnr ? ` <span class="muted">(Dnr ${e(i.dnr)})</span>` : ''}</h3>` +
            (i.proposal ? `<p><span class="label" style="display:inline;margin:0">Förslag till beslut:</span> ${e(i.proposal)}</p>` : '') +
            (i.links.length || i.handlingar.length
              ? `<ul class="handlingar">${i.links.map((l) => `<li><a href="${e(l.url)}">${e(l.title)}</a></li>`).join('')}${i.handlingar.map(handlingItem).join('')}</ul>`
              : '') +
            `</li>`,
        )
        .join('') +
      `</ol></section>`
    : '';
  return ownPage(
    `${o.title} ${o.when}`,
    `<p><a href="/admin/mina-moten">Alla möten</a></p>` +
      `<h1>${e(o.title)} ${e(o.when)}</h1>` +
      facts(o.facts) +
      (o.note ? `<p class="notice">${e(o.note)}</p>` : '') +
      (o.links.length ? `<div class="links">${o.links.map((l) => `<a href="${e(l.href)}">${e(l.text)}</a>`).join('')}</div>` : '') +
      items,
    o.chrome,
  );
}

// --- förhinder ----------------------------------------------------------------------------

export interface AttendanceView {
  meetingId: string;
  title: string;
  when: string;
  /** 'Kallad som ledamot', 'Förhinder anmält 3 februari 2037' … */
  status: string;
  statusTag: '' | 'done' | 'warn' | 'late';
  /** What it means: who is called in instead, or what happens if they cannot come. */
  text: string;
  /** The button: report a förhinder, or come after all. */
  action?: { kind: 'forhinder' | 'kommer'; href: string };
}

export function forhinderPage(o: { chrome: OwnChrome; flash?: Flash; coming: AttendanceView[]; reported: AttendanceView[]; seatText: string }): string {
  const card = (a: AttendanceView) =>
    `<li id="mote-${e(a.meetingId)}"><h3>${e(a.title)} ${e(a.when)}</h3>` +
    `<p class="status">${tag(a.status, a.statusTag)}</p>` +
    `<p>${e(a.text)}</p>` +
    (a.action
      ? a.action.kind === 'forhinder'
        ? `<p><a class="button" href="${e(a.action.href)}">Anmäl förhinder<span class="vh"> till ${e(a.title)} ${e(a.when)}</span></a></p>`
        : `<form method="post" action="${e(a.action.href)}">${hidden('svar', 'kommer')}<button type="submit" class="secondary">Jag kan ändå komma<span class="vh"> till ${e(a.title)} ${e(a.when)}</span></button></form>`
      : '') +
    `</li>`;
  return ownPage(
    'Mina förhinder',
    `<h1>Mina förhinder</h1>` +
      flash(o.flash) +
      `<p class="lead">${e(o.seatText)} Kan du inte komma till ett sammanträde anmäler du förhinder här, så kallas en ersättare för samma medlem in i ditt ställe. Du får en bekräftelse per e-post.</p>` +
      `<section aria-labelledby="kommande"><h2 id="kommande">Kommande sammanträden</h2>` +
      (o.coming.length ? `<ul class="cards">${o.coming.map(card).join('')}</ul>` : `<p>Styrelsen har inga fler sammanträden planerade i år.</p>`) +
      `</section>` +
      `<section aria-labelledby="anmalda"><h2 id="anmalda">Förhinder du har anmält</h2>` +
      (o.reported.length ? `<ul class="cards">${o.reported.map((a) => card({ ...a, action: undefined })).join('')}</ul>` : `<p>Du har inte anmält något förhinder i år.</p>`) +
      `</section>`,
    o.chrome,
  );
}

/** The question before a förhinder is reported: what it does, and the button. */
export function confirmForhinderPage(o: { chrome: OwnChrome; title: string; when: string; place: string | null; what: string; action: string }): string {
  return ownPage(
    'Anmäl förhinder',
    `<p><a href="/admin/mina-forhinder">Tillbaka till Mina förhinder</a></p>` +
      `<h1>Anmäl förhinder</h1>` +
      facts([['Möte', o.title], ['När', o.when], ...(o.place ? ([['Plats', o.place]] as [string, string][]) : [])]) +
      `<p>${e(o.what)}</p>` +
      `<form method="post" action="${e(o.action)}">${hidden('svar', 'forhinder')}<div class="row"><button type="submit">Anmäl förhinder</button><a href="/admin/mina-forhinder">Avbryt</a></div></form>`,
    o.chrome,
  );
}

// --- the decisions sent to the members ----------------------------------------------------

export interface DecisionMeetingView {
  title: string;
  when: string;
  justerad: string;
  sent: string | null;
  protokollHref: string;
  decisions: { paragraph: number | null; title: string; dnr?: string; decision: string }[];
}

export function decisionsPage(o: { chrome: OwnChrome; year: number; meetings: DecisionMeetingView[] }): string {
  const body = o.meetings.length
    ? o.meetings
        .map(
          (m, n) =>
            `<section aria-labelledby="m${n + 1}"><h2 id="m${n + 1}">${e(m.title)} ${e(m.when)}</h2>` +
            facts([['Justerat', m.justerad], ['Till medlemmarna', m.sent ?? 'Inte skickat än']]) +
            `<p><a href="${e(m.protokollHref)}">Protokollet som PDF<span class="vh"> ${e(m.title)} ${e(m.when)}</span></a></p>` +
            (m.decisions.length
              ? `<ol class="items">${m.decisions.map((d) => `<li><h3>${d.paragraph !== null ? `§ ${d.paragraph} ` : ''}${e(d.title)}${d.dnr ? ` <span class="muted">(Dnr ${e(d.dnr)})</span>` : ''}</h3><p class="decision">${e(d.decision)}</p></li>`).join('')}</ol>`
              : `<p>Inga beslut är införda i protokollet.</p>`) +
            `</section>`,
        )
        .join('')
    : `<p>Inget protokoll från ${o.year} är justerat än.</p>`;
  return ownPage(
    `Medlemmarnas beslut ${o.year}`,
    `<h1>Medlemmarnas beslut ${o.year}</h1>` + `<p class="lead">Besluten i styrelsens justerade protokoll, som de skickas till medlemmarna.</p>` + body + yearNav('/admin/medlemmarnas-beslut', o.year, 'Andra år'),
    o.chrome,
  );
}

// --- the revisor --------------------------------------------------------------------------

export interface RevisionView {
  chrome: OwnChrome;
  year: number;
  protokoll: { text: string; href: string; justerad: string }[];
  followUp?: { facts: [string, string][]; pdf: string; csv: string };
  /** The adopted årsredovisningar and delårsrapporter (StatutoryReport): where each stands, its handlingar, the revisionsberättelse, each member's decision. */
  annual: AnnualReportView[];
}

export interface AnnualReportView {
  anchor: string;
  heading: string;
  dnr: string;
  facts: [string, string][];
  /** The registered revisionsberättelse's handling (when the revisor may read it). */
  auditReport?: HandlingLinkView;
  handlingar: HandlingLinkView[];
  /** An årsredovisning sent to the members: each member's decision on ansvarsfrihet. */
  members?: { name: string; state: string; tag: string; decided: string; reference: string }[];
}

function annualHtml(a: AnnualReportView): string {
  const tableId = `${a.anchor}-medlemmar`;
  return (
    `<article aria-labelledby="${e(a.anchor)}"><h3 id="${e(a.anchor)}">${e(a.heading)} <span class="muted">(Dnr ${e(a.dnr)})</span></h3>` +
    facts(a.facts) +
    (a.auditReport ? `<p>Revisionsberättelsen:</p><ul class="handlingar">${handlingItem(a.auditReport)}</ul>` : '') +
    `<h4>Handlingar</h4>` +
    (a.handlingar.length ? `<ul class="handlingar">${a.handlingar.map(handlingItem).join('')}</ul>` : `<p>Inga handlingar är uppladdade än.</p>`) +
    (a.members
      ? `<h4 id="${e(tableId)}">Medlemmarnas beslut om ansvarsfrihet</h4>` +
        (a.members.length
          ? `<div class="table-scroll" role="region" aria-labelledby="${e(tableId)}" tabindex="0"><table class="log"><caption class="vh">Varje medlems beslut om ansvarsfrihet för ${e(a.heading.toLowerCase())}</caption>` +
            `<thead><tr><th scope="col">Medlem</th><th scope="col">Läge</th><th scope="col">Beslutsdag</th><th scope="col">Medlemmens referens</th></tr></thead><tbody>` +
            a.members.map((m) => `<tr><th scope="row">${e(m.name)}</th><td>${tag(m.state, m.tag)}</td><td>${e(m.decided || '–')}</td><td>${e(m.reference || '–')}</td></tr>`).join('') +
            `</tbody></table></div>`
          : `<p>Förbundet har inga medlemmar registrerade.</p>`)
      : '') +
    `</article>`
  );
}

export function revisionPage(v: RevisionView): string {
  return ownPage(
    `Revision ${v.year}`,
    `<h1>Revision ${v.year}</h1>` +
      `<p class="lead">Det revisorerna läser: styrelsens justerade protokoll, budgetuppföljningen och årsredovisningen. Sidorna visar uppgifterna; de kan inte ändras här.</p>` +
      `<section aria-labelledby="protokoll"><h2 id="protokoll">Justerade protokoll</h2>` +
      (v.protokoll.length ? `<ul class="plain">${v.protokoll.map((p) => `<li><a href="${e(p.href)}">${e(p.text)}</a> <span class="muted">(justerat ${e(p.justerad)})</span></li>`).join('')}</ul>` : `<p>Inget protokoll från ${v.year} är justerat än.</p>`) +
      `</section>` +
      `<section aria-labelledby="uppfoljning"><h2 id="uppfoljning">Budgetuppföljning</h2>` +
      (v.followUp
        ? facts(v.followUp.facts) + `<div class="links"><a href="${e(v.followUp.pdf)}">Budgetuppföljningen som PDF</a><a href="${e(v.followUp.csv)}">Som kalkylark (CSV)</a></div>`
        : `<p>Det finns ingen budget med finansieringspolicy för ${v.year}, så ingen budgetuppföljning kan visas.</p>`) +
      `</section>` +
      `<section aria-labelledby="arsredovisning"><h2 id="arsredovisning">Årsredovisning och delårsrapporter</h2>` +
      (v.annual.length ? v.annual.map(annualHtml).join('') : `<p>Styrelsen har inte antagit någon årsredovisning eller delårsrapport som hör till ${v.year} än.</p>`) +
      `</section>` +
      yearNav('/admin/revision', v.year, 'Andra år'),
    v.chrome,
  );
}

// --- the samordnare's reports -------------------------------------------------------------

export interface ReportView {
  href?: string;
  what: string;
  project: string;
  due: IsoDate;
  state: string;
  tag: '' | 'done' | 'late' | 'gone';
}

export function reportsPage(o: { chrome: OwnChrome; flash?: Flash; lead: string; reports: ReportView[]; feeds: { project: string; href: string; renew: string }[] }): string {
  return ownPage(
    'Mina rapporter',
    `<h1>Mina rapporter</h1>` +
      flash(o.flash) +
      `<p class="lead">${e(o.lead)}</p>` +
      `<section aria-labelledby="rapporter"><h2 id="rapporter">Rapporter</h2>` +
      (o.reports.length
        ? `<ul class="reports">` +
          o.reports
            .map(
              (r) =>
                `<li>${r.href ? `<a href="${e(r.href)}">${e(r.what)}, ${e(r.project)}</a>` : `<span style="flex:1 1 18rem">${e(r.what)}, ${e(r.project)}</span>`}` +
                ` <span class="due">Sista dag ${date(r.due)}</span> ${tag(r.state, r.tag)}</li>`,
            )
            .join('') +
          `</ul>`
        : `<p>Dina insatser har inga rapporter.</p>`) +
      `</section>` +
      `<section aria-labelledby="kalender"><h2 id="kalender">Rapportdagarna i din kalender</h2>` +
      (o.feeds.length
        ? `<p>Prenumerera på en insats rapportdagar i Outlook, Google eller Apple Kalender: kopiera länken och lägg till den som en kalender från internet. Länken är personlig; dela den inte. Har den kommit till någon annan kan du byta den: den gamla slutar då att fungera.</p>` +
          `<ul class="plain">${o.feeds
            .map((f) => `<li><a href="${e(f.href)}">Kalender för ${e(f.project)}</a><form method="post" action="${e(f.renew)}"><button type="submit" class="secondary">Byt länk<span class="vh"> till kalendern för ${e(f.project)}</span></button></form></li>`)
            .join('')}</ul>`
        : `<p>Du har inga insatser.</p>`) +
      `</section>`,
    o.chrome,
  );
}
