// Swedish texts of the e-mails Årscykel sends. Each returns subject, plain text and HTML.
import { REPORT_NAMES, type ReportKind } from './rapportering.js';

export interface MailText {
  subject: string;
  text: string;
  html: string;
}

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

/** '2026-04-15' → '15 april 2026' */
export function svDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function compose(subject: string, paragraphs: string[], signature: string): MailText {
  const text = [...paragraphs, '', signature].join('\n\n').replace(/\n{3,}/g, '\n\n') + '\n';
  const html =
    `<!doctype html><html lang="sv"><body>` +
    paragraphs.map((p) => `<p>${escapeHtml(p).replace(/(https?:\/\/\S+)/g, '<a href="$1">$1</a>').replace(/\n/g, '<br>')}</p>`).join('') +
    `<p>${escapeHtml(signature).replace(/\n/g, '<br>')}</p></body></html>`;
  return { subject, text, html };
}

export interface ReportMailFacts {
  forbundName: string;
  projectName: string;
  coordinatorName: string;
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  link: string;
}

function reportName(f: ReportMailFacts): string {
  return `${REPORT_NAMES[f.kind]} för perioden ${svDate(f.periodStart)}–${svDate(f.periodEnd)}`;
}

export function reportReminder(f: ReportMailFacts, daysLeft: number): MailText {
  const when = daysLeft === 0 ? 'i dag' : daysLeft === 1 ? 'i morgon' : `om ${daysLeft} dagar, ${svDate(f.dueDate)}`;
  return compose(
    `Påminnelse: ${REPORT_NAMES[f.kind]} för ${f.projectName} ska lämnas ${daysLeft === 0 ? 'i dag' : svDate(f.dueDate)}`,
    [
      `Hej ${f.coordinatorName},`,
      `${capitalize(reportName(f))} för insatsen ${f.projectName} ska lämnas ${when}.`,
      `Lämna rapporten via länken nedan. Rapporten innehåller bara sammanställda uppgifter (antal och belopp) – inga uppgifter om enskilda deltagare.\n${f.link}`,
    ],
    `Vänliga hälsningar\n${f.forbundName}`,
  );
}

export function reportOverdue(f: ReportMailFacts, officialName: string): MailText {
  return compose(
    `Försenad: ${REPORT_NAMES[f.kind]} för ${f.projectName} skulle ha lämnats ${svDate(f.dueDate)}`,
    [
      `Hej ${f.coordinatorName},`,
      `${capitalize(reportName(f))} för insatsen ${f.projectName} skulle ha lämnats senast ${svDate(f.dueDate)} och har ännu inte kommit in. ${officialName} får en kopia av detta meddelande.`,
      `Lämna rapporten så snart som möjligt via länken:\n${f.link}`,
    ],
    `Vänliga hälsningar\n${f.forbundName}`,
  );
}

export function reportEscalation(f: ReportMailFacts, daysLate: number): MailText {
  return compose(
    `Eskalering: ${REPORT_NAMES[f.kind]} för ${f.projectName} är ${daysLate} dagar försenad`,
    [
      'Till verkställande tjänsteman och beredningsgruppen,',
      `${capitalize(reportName(f))} för insatsen ${f.projectName} (samordnare ${f.coordinatorName}) skulle ha lämnats ${svDate(f.dueDate)} och är nu ${daysLate} dagar försenad trots påminnelser.`,
      'Ärendet ligger bland verkställande tjänstemannens väntande steg tills rapporten har lämnats. Beredningsgruppen, som är styrgrupp för insatserna, uppmärksammas på förseningen.',
    ],
    `Årscykel\n${f.forbundName}`,
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface CycleMailFacts {
  forbundName: string;
  title: string;
  dueDate: string;
  ownerName: string;
  meetingTitle?: string;
  meetingDate?: string;
}

const handledAt = (f: CycleMailFacts) => (f.meetingTitle && f.meetingDate ? ` Ärendet behandlas på ${f.meetingTitle.toLowerCase()} ${svDate(f.meetingDate)}.` : '');

export function milestoneReminder(f: CycleMailFacts, daysLeft: number): MailText {
  const when = daysLeft <= 0 ? 'i dag' : daysLeft === 1 ? 'i morgon' : `om ${daysLeft} dagar, ${svDate(f.dueDate)}`;
  return compose(
    `Påminnelse: ${f.title} – klart senast ${svDate(f.dueDate)}`,
    [`Hej ${f.ownerName},`, `${f.title} ska vara klart ${when}.${handledAt(f)}`, 'Markera steget som klart i Årscykel när det är gjort.'],
    `Vänliga hälsningar\n${f.forbundName}`,
  );
}

export function milestoneOverdue(f: CycleMailFacts): MailText {
  return compose(
    `Försenat: ${f.title} skulle ha varit klart ${svDate(f.dueDate)}`,
    [`Hej ${f.ownerName},`, `${f.title} skulle ha varit klart senast ${svDate(f.dueDate)} och är ännu inte markerat som klart.${handledAt(f)} Verkställande tjänsteman får en kopia.`],
    `Vänliga hälsningar\n${f.forbundName}`,
  );
}

export function milestoneEscalation(f: CycleMailFacts, daysLate: number): MailText {
  return compose(
    `Eskalering: ${f.title} är ${daysLate} dagar försenat`,
    ['Till verkställande tjänsteman och presidiet,', `${f.title} (ansvarig ${f.ownerName}) skulle ha varit klart ${svDate(f.dueDate)} och är nu ${daysLate} dagar försenat.${handledAt(f)}`, 'Steget ligger bland verkställande tjänstemannens väntande steg tills det är klart.'],
    `Årscykel\n${f.forbundName}`,
  );
}

export function kallelseReminder(f: { forbundName: string; secretaryName: string; meetingTitle: string; meetingDate: string }): MailText {
  return compose(
    `Kallelse till ${f.meetingTitle.toLowerCase()} ${svDate(f.meetingDate)} ska skickas i dag`,
    [`Hej ${f.secretaryName},`, `Kallelsen med föredragningslista till ${f.meetingTitle.toLowerCase()} ${svDate(f.meetingDate)} ska skickas ut i dag.`],
    `Vänliga hälsningar\n${f.forbundName}`,
  );
}

export function calendarMissing(f: { forbundName: string; nextYear: number; lastMeetingDate: string }): MailText {
  return compose(
    `Eskalering: sammanträdesplan för ${f.nextYear} är inte fastställd`,
    [
      'Till verkställande tjänsteman, presidiet och styrelsens sekreterare,',
      `Styrelsens sista möte för året hölls ${svDate(f.lastMeetingDate)}, men ingen sammanträdesplan (kalendarium) för ${f.nextYear} har fastställts. Årscykeln för ${f.nextYear} kan inte planeras förrän styrelsen har fastställt den.`,
    ],
    `Årscykel\n${f.forbundName}`,
  );
}

export function inviteMail(f: { forbundName: string; meetingTitle: string; when: string; location?: string; update: boolean; cancelled: boolean; description: string }): MailText {
  const verb = f.cancelled ? 'Inställt' : f.update ? 'Ändrat' : 'Inbjudan';
  return compose(
    `${verb}: ${f.meetingTitle} ${f.when}`,
    [
      f.cancelled ? `${f.meetingTitle} ${f.when} är inställt.` : `${f.update ? 'Tid eller plats har ändrats för' : 'Välkommen till'} ${f.meetingTitle.toLowerCase()} ${f.when}${f.location ? `, ${f.location}` : ''}.`,
      ...(f.cancelled ? [] : [f.description]),
    ],
    `Vänliga hälsningar\n${f.forbundName}`,
  );
}
