// The board's meetings: one board meeting's page (when and where, its stage, who is called, the
// quorum forecast, the föredragningslista with its matters and decisions, the kallelse as PDF)
// and its actions as forms: register a matter for it, send the kallelse now, report a förhinder,
// record the decisions, send the minutes to the justerare, register the justering; and until the
// kallelse goes, edit the föredragningslista (add an item, retitle, move or remove one).
//
// Each action is what its API route does (the shared functions in api/styrelse.ts): the same
// service or workflow update, the same roles (admin and secretary; registering a matter is the
// official's). The workflow answers: 400 comes back as the form with each problem next to its
// field, 409 as a Swedish page saying why not, 503 as the Swedish "try again" page (nothing done).
import { screenField } from '../../domain/fritext.js';
import type { Request, Response, Router } from 'express';
import { MATTER_KIND_NAMES, MATTER_KINDS } from '../../domain/arenden.js';
import { isIsoDate, toStockholmDate, toStockholmTime, type IsoDate } from '../../domain/dates.js';
import { escapeHtml as escape, svDate, svDayDate, svTime, svWhen } from '../../domain/texts.js';
import { cycleSettingsOf, meetingDate, meetingTime } from '../../services/arscykel.js';
import { ownersOf } from '../../services/people.js';
import { ownerOptions } from '../../services/styrelse.js';
import { isoDay } from '../../services/rapportering.js';
import { agendaOf, attendanceOf, boardPlan, DEFAULT_JUSTERING_DAYS, justeringDueOn } from '../../services/styrelse.js';
import { keyedRosterOf, printedNarvaro, printedRecord, protocolSigners } from '../../services/protokoll.js';
import { declineLinkClosed } from '../../domain/lankar.js';
import { renewDeclineLink, renewSignLink, signLinkClosed, type Mailed } from '../../services/lankar.js';
import { Refusal } from '../../services/refusal.js';
import { recordLines } from '../../domain/kallelse-pdf.js';
import type { KeyedSeat, Narvaro, ParagraphRecord } from '../../domain/protokoll.js';
import type { Prisma } from '../../prisma/db.js';
import { actor } from '../auth.js';
import { HttpError } from '../errors.js';
import { confirmPage, messagePage, type ErrorLink } from '../pages/admin.js';
import { MATTER_STATUS_SV, type DuplicateView } from '../pages/arenden.js';
import { matterPages, registeredTarget, registeredView, registerFromForm } from './arenden.js';
import { boardMeetingPage, fieldId, type AgendaItemRow, type BoardMeetingView, type FormState, type NarvaroView, type Option, type PresentPerson } from '../pages/styrelse.js';
import { DecisionConflict, declineFor, editAgendaFor, justeraFor, kallelsePdfOf, recordDecisionFor, recordNarvaroFor, recordParagraphFor, sendKallelseNowFor, sendMinutesFor, stageOf } from '../styrelse.js';
import type { AgendaEditInput, NarvaroInput, ParagraphRecordInput } from '../../workflows/signals.js';
import { doneAt, doneMessages, flashOf, formOf, html, keepTime, PageError, WAITING_SV, withDone, type AdminKit } from './kit.js';

doneMessages({
  'kallelse-skickad': 'Kallelsen är skickad: ledamöterna och de inkallade ersättarna har fått den med föredragningslistan och en PDF, övriga ersättare och kansliet för kännedom. Föredragningslistan kan inte längre ändras.',
  'forhinder-anmalt': 'Förhindret är anmält. Nästa ersättare är inkallad och har fått en inbjudan; den som har förhinder har fått en bekräftelse.',
  'forhinder-ingen-ersattare': 'Förhindret är anmält, men ingen av medlemmens ersättare kunde kallas in, så platsen står tom (finsamlagen 12 §: bara samma medlems ersättare får tjänstgöra). Kontrollera att styrelsen blir beslutsför.',
  'punkt-tillagd': 'Punkten är tillagd på föredragningslistan. Kallelsen tar med listan som den ser ut när den går ut.',
  'punkt-andrad': 'Punktens rubrik är ändrad. Kallelsen tar med listan som den ser ut när den går ut.',
  'forslag-sparat': 'Förslaget till beslut är sparat. Det står i kallelsen under punkten.',
  'punkt-flyttad': 'Punkten är flyttad och punkterna är numrerade om. Kallelsen tar med listan som den ser ut när den går ut.',
  'punkt-borttagen': 'Punkten är borttagen från föredragningslistan och punkterna är numrerade om. Kallelsen tar med listan som den ser ut när den går ut.',
  'beslut-sparat': 'Beslutet är sparat.',
  'protokoll-skickat': 'Protokollet är skickat till justeraren, med kopia till sekreteraren. Justeraren påminns tills protokollet är justerat.',
  'justering-registrerad': 'Justeringen är registrerad. Besluten skickas till medlemsorganisationerna.',
  'narvaro-sparad': 'Närvaron är sparad och kommer med i protokollet.',
  'paragraf-sparad': 'Det är sparat i protokollet: jäv och vem som tjänstgör i stället, reservationer, anteckningar och omröstning.',
  'ny-forhinderslank': 'En ny länk för att meddela förhinder är skickad. Den tidigare länken fungerar inte längre.',
  'ny-forhinderslank-ej-skickad': 'Länken för förhinder är bytt, men e-postmeddelandet med den nya länken kunde inte skickas. Den tidigare länken fungerar inte längre; skicka en ny länk igen eller kontakta personen.',
  'ny-justeringslank': 'En ny länk för att justera protokollet är skickad. Den tidigare länken fungerar inte längre.',
  'ny-justeringslank-ej-skickad': 'Länken för justering är bytt, men e-postmeddelandet med den nya länken kunde inte skickas. Den tidigare länken fungerar inte längre; skicka en ny länk igen eller kontakta personen.',
});

/** Others present offered in the närvaro form, and rows of reservationer and anteckningar in a §'s form, at most. */
const MAX_ROWS = 20;
const IDENTITY_NUMBER_SV = 'Texten ser ut att innehålla ett personnummer. Ta bort det; Årscykel sparar inga personnummer.';

/** A problem the record's validation names (domain/protokoll.ts, in English for the API), in Swedish for the page. */
function recordProblemSv(problem: string): string {
  if (/identity number/.test(problem)) return IDENTITY_NUMBER_SV;
  if (/same member/.test(problem)) return 'En ersättare tjänstgör bara för en ledamot från samma medlemsorganisation (finsamlagen 12 §).';
  if (/already served for/.test(problem)) return 'Den ledamoten har redan en tjänstgörande ersättare.';
  if (/present as beslutande/.test(problem)) return 'Ledamoten är själv beslutande, så ingen ersättare tjänstgör för hen.';
  if (/is an ersättare/.test(problem)) return 'En ersättare är beslutande bara som tjänstgörande för en ledamot från samma medlemsorganisation.';
  if (/is a ledamot/.test(problem)) return 'En ledamot som är närvarande är beslutande.';
  if (/already listed|listed twice|already voted/.test(problem)) return 'Personen finns redan med.';
  if (/not recorded as present/.test(problem)) return 'Personen är inte antecknad som närvarande. Ändra närvaron först.';
  if (/did not take part/.test(problem)) return 'Bara den som deltog i beslutet kan reservera sig mot det.';
  if (/not among the beslutande/.test(problem)) return 'Bara de beslutande i paragrafen röstar.';
  if (/needs the votes/.test(problem)) return 'Ange hur de beslutande röstade, eller ta bort resultatet.';
  if (/närvaro first/.test(problem)) return 'För in närvaron först: den avgör vem som kan vara jävig, reservera sig och rösta.';
  if (/not on the board's roster/.test(problem)) return 'Personen finns inte i styrelsen på sammanträdesdagen.';
  if (/title/.test(problem) && /empty/.test(problem)) return 'Skriv titeln.';
  if (/empty/.test(problem)) return 'Skriv texten.';
  return 'Välj ett av alternativen.';
}

const SEAT_ROLE_SV: Record<string, string> = { chair: 'ordförande', vice_chair: 'vice ordförande' };

type MeetingRow = Prisma.MeetingGetPayload<object>;
type Section = NonNullable<BoardMeetingView['sectionFlash']>['at'];

/** A form sent back: which one ('arende', 'forhinder', 'protokoll', 'beslut:<item id>', 'punkt', 'rubrik:<item id>', 'flytta:<item id>'), what was typed and what is wrong. */
interface SentBack {
  form: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  /** The registration form: an open matter with the same title, to confirm. */
  duplicate?: DuplicateView;
  /** A decision's form: someone else saved the decision while this one was written (what is saved now). */
  conflict?: { decision: string; followUp?: string };
}

/** Where an item goes on the föredragningslista: before the item with this id, or last. */
const LAST = 'sist';
const MAX_AGENDA_ITEMS = 100;

/** The agenda as the update takes it: `ids` in order, with `entry` put before the item `before` (or last). */
function placed(ids: string[], entry: AgendaEditInput, before: string): AgendaEditInput[] {
  const list: AgendaEditInput[] = ids.map((id) => ({ id }));
  const at = before === LAST ? -1 : ids.indexOf(before);
  if (at < 0) list.push(entry);
  else list.splice(at, 0, entry);
  return list;
}

const when = (d: Date) => `${svDate(toStockholmDate(d))} kl. ${svTime(toStockholmTime(d))}`;
const trimmed = (v: string | undefined) => (v ?? '').trim();

/** The page's address after an action: the message shown in the section (or agenda item) it was done in. */
const done = (meetingId: string, code: string, at: string, later = false) => withDone(`/admin/moten/${meetingId}#${at}`, code, { later });

/** The process's refusal (409), in Swedish. */
function refusalSv(message: string): string {
  const m = message.toLowerCase();
  if (m.includes('process has ended') || m.includes('decisions sent to the members')) return 'Mötets process är avslutad: protokollet är justerat och besluten har skickats till medlemmarna. Ett beslut rättas genom ett nytt beslut vid ett senare sammanträde.';
  if (m.includes('minutes have been sent to the justerare')) return 'Protokollet har skickats till justeraren, så besluten kan inte längre ändras.';
  if (m.includes('already been sent to the justerare')) return 'Protokollet har redan skickats till justeraren.';
  if (m.includes('already justerade')) return 'Protokollet är redan justerat.';
  if (m.includes('kallelse already went out') || m.includes('kallelse has gone out')) return 'Kallelsen har redan gått ut.';
  if (m.includes('has been held')) return 'Sammanträdet har redan hållits.';
  if (m.includes('cancelled')) return 'Mötet är inställt.';
  if (m.includes('förhinder can no longer')) return 'Sammanträdet har redan börjat, så förhinder kan inte längre anmälas här.';
  if (m.includes('has not begun')) return 'Sammanträdet har inte börjat än. Besluten förs in från att sammanträdet har börjat.';
  if (m.includes('justerade')) return 'Protokollet är redan justerat, så besluten kan inte längre ändras.';
  if (m.includes('not been held')) return 'Sammanträdet har inte hållits än.';
  if (m.includes('not been sent to the justerare')) return 'Protokollet har inte skickats till justeraren än.';
  if (m.includes('not known')) return 'Mötets arbetsflöde känner inte till mötet.';
  return 'Processen har redan passerat det steget.';
}

export function boardPages(k: AdminKit, r: Router): void {
  const { deps, prisma, page, fid, isAdmin, onlyOfficial, chrome } = k;

  async function boardMeeting(req: Request): Promise<MeetingRow> {
    const m = await prisma.meeting.findFirst({ where: { id: String(req.params.id), forbundId: fid(req), kind: 'styrelse' } });
    if (!m) throw new PageError(404, 'Mötet finns inte', ['Det finns inget sådant styrelsemöte i förbundet.']);
    return m;
  }
  const headingOf = (m: MeetingRow) => `${m.title} ${svDate(meetingDate(m))}`;
  const backToMeeting = (m: MeetingRow) => ({ href: `/admin/moten/${m.id}`, text: `Tillbaka till ${headingOf(m).replace(/^./, (x) => x.toLowerCase())}` });

  /** The process's refusal as a Swedish page that links back to the meeting (nothing changed). */
  async function refusedPage(req: Request, res: Response, m: MeetingRow, why: string) {
    html(res, 409, messagePage({ chrome: await chrome(req, res, 'other'), title: 'Det går inte just nu', paragraphs: [why, 'Inget har ändrats.'], links: [backToMeeting(m)] }));
  }

  /** The workflow's answer: 409 as a Swedish page that links back to the meeting (nothing changed); 400 and 503 are passed on. */
  async function answered<T>(req: Request, res: Response, m: MeetingRow, p: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error?: HttpError }> {
    try {
      return { ok: true, value: await p() };
    } catch (err) {
      if (err instanceof HttpError && err.status === 409) {
        await refusedPage(req, res, m, refusalSv(err.message));
        return { ok: false };
      }
      if (err instanceof HttpError && err.status === 400) return { ok: false, error: err };
      throw err;
    }
  }

  /** Whom to choose as owner or as the one to report back: each person once, by name and Swedish title (services/styrelse.ts ownerOptions). */
  const ownerChoices = (forbundId: string): Promise<{ label: string; options: Option[] }[]> => ownerOptions(prisma, forbundId);

  async function ownerText(forbundId: string, owner: string): Promise<string> {
    const people = await ownersOf(prisma, forbundId, owner);
    const names = people.map((p) => p.name).join(', ');
    if (WAITING_SV[owner]) return names ? `${names}, ${WAITING_SV[owner]}` : WAITING_SV[owner];
    return names || owner;
  }

  async function renderMeeting(req: Request, res: Response, m: MeetingRow, status = 200, sent?: SentBack) {
    const forbundId = fid(req);
    const now = deps.now();
    const [c, plan, items, att, matters, members, forbund, owners, registered] = await Promise.all([
      chrome(req, res, m.year === k.thisYear() ? 'year' : 'other'),
      boardPlan(prisma, m.id),
      agendaOf(prisma, m.id),
      attendanceOf(prisma, m),
      prisma.matter.findMany({ where: { forbundId, meetingId: m.id }, orderBy: [{ year: 'asc' }, { number: 'asc' }] }),
      prisma.member.findMany({ where: { forbundId } }),
      prisma.forbund.findUniqueOrThrow({ where: { id: forbundId } }),
      ownerChoices(forbundId),
      registeredView(k, req),
    ]);
    const stage = stageOf(m, now);
    const planned = m.status === 'planned';
    const adopted = !!plan?.adopted;
    const begun = now >= m.startsAt;
    const agendaCloses = plan ? new Date(plan.agendaClosesAt) : m.startsAt;
    const state = (form: string, values: Record<string, string>): FormState =>
      sent?.form === form ? { values: sent.values, errors: sent.errors, open: true } : { values, errors: {} };

    // What the stage allows (as the workflow's validators do).
    const canSendKallelse = stage === 'planned' && adopted;
    const invited = att.rows.filter((a) => a.status === 'invited');
    const canDecline = planned && adopted && !m.heldAt && !begun && invited.length > 0;
    const canDecide = planned && !!m.kallelseSentAt && begun && !m.justeradAt;
    const canSendMinutes = planned && !!m.heldAt && !m.minutesSentAt;
    const canJustera = planned && !!m.minutesSentAt && !m.justeradAt;
    // As the workflow's recordNarvaro and recordParagraph: from the start until the minutes go to justering.
    const canRecord = canDecide && !m.minutesSentAt;
    const canRegister = planned && !m.kallelseSentAt && now < agendaCloses;
    // As the workflow's editAgenda: until the kallelse goes (and only a list there is: the standing items come with the invites).
    const canEditAgenda = stage === 'planned' && adopted && items.length > 0;
    const placeText = (i: { number: number; title: string }) => `Före ${i.number}. ${i.title}`;

    const memberName = new Map(members.map((x) => [x.id, x.name]));
    const seatOf = new Map(att.roster.map((s) => [s.personId, s]));
    const nameOf = new Map(att.rows.map((a) => [a.personId, a.person.name]));
    const justerare = m.justerare ? await prisma.person.findFirst({ where: { forbundId, key: m.justerare } }) : null;
    const due: IsoDate = m.justeringDue ? isoDay(m.justeringDue) : justeringDueOn(meetingDate(m), cycleSettingsOf(forbund).justeringDays ?? DEFAULT_JUSTERING_DAYS);

    // --- the facts and the stage
    const lead: Record<string, string> = {
      planned: adopted ? 'Planerat. Kallelsen har inte gått ut än.' : `Planerat, men sammanträdesplanen för ${m.year} är inte fastställd: inga inbjudningar eller kallelser går ut förrän den är det.`,
      'kallelse sent': begun ? 'Sammanträdet har börjat. Besluten kan föras in.' : 'Kallelsen har gått ut. Föredragningslistan är fastställd.',
      held: 'Sammanträdet är hållet. För in besluten och skicka protokollet till justeraren.',
      'minutes at justering': 'Protokollet är hos justeraren.',
      justerade: 'Protokollet är justerat. Besluten skickas till medlemsorganisationerna.',
      'decisions sent': 'Protokollet är justerat och besluten är skickade till medlemsorganisationerna.',
      cancelled: 'Mötet är inställt.',
      past: 'Mötet hölls innan Årscykel skötte styrelsens process för det; här finns inget att göra.',
    };
    const facts: [string, string][] = [
      ['Tid', keepTime(svWhen(meetingTime(m)))],
      ['Plats', m.location ?? 'Ingen plats angiven'],
      ...(plan && planned && !m.kallelseSentAt ? ([['Ärenden senast', `${svDate(toStockholmDate(agendaCloses))} kl. ${svTime(toStockholmTime(agendaCloses))}`]] as [string, string][]) : []),
      ...(plan && planned ? ([['Kallelse', m.kallelseSentAt ? `Skickad ${when(m.kallelseSentAt)}` : `Går ut ${svDayDate(plan.kallelseDate)}`]] as [string, string][]) : []),
      ...(m.minutesSentAt ? ([['Protokoll', `Skickat till ${justerare?.name ?? m.justerare} ${svDate(toStockholmDate(m.minutesSentAt))}, justeras senast ${svDate(due)}`]] as [string, string][]) : []),
      ...(m.justeradAt ? ([['Justerat', svDate(toStockholmDate(m.justeradAt))]] as [string, string][]) : []),
      ...(m.decisionsSentAt ? ([['Besluten skickade', svDate(toStockholmDate(m.decisionsSentAt))]] as [string, string][]) : []),
    ];

    // --- the kallelse
    const kallelse: string[] = [];
    if (m.kallelseSentAt) kallelse.push(`Kallelsen med föredragningslistan gick ut ${when(m.kallelseSentAt)}. Föredragningslistan kan inte längre ändras.`);
    else if (canSendKallelse && plan) {
      kallelse.push(
        `Kallelsen med föredragningslistan och en PDF går ut per e-post ${svDayDate(plan.kallelseDate)} till de kallade ledamöterna och ersättarna; övriga ersättare, sekreteraren och tjänstepersonen får den för kännedom. Sekreteraren påminns några dagar innan.`,
        'Behöver kallelsen gå ut tidigare kan du skicka den nu.',
      );
    } else if (planned && !adopted) kallelse.push(`Ingen kallelse går ut förrän sammanträdesplanen för ${m.year} är fastställd.`);
    else if (stage === 'past') kallelse.push('Ingen kallelse skickades genom Årscykel.');
    else if (stage === 'cancelled') kallelse.push('Mötet är inställt; ingen kallelse går ut.');

    // --- who is called (each one's "can't come" link renewable until the meeting begins, as renewDeclineLink)
    const declineRenewable = planned && !declineLinkClosed(m, now);
    const calledRows = att.rows.map((a) => {
      const seat = seatOf.get(a.personId);
      const member = seat?.memberId ? memberName.get(seat.memberId) : undefined;
      const text =
        a.seat === 'ersattare'
          ? `ersättare${a.forPersonId && nameOf.get(a.forPersonId) ? ` för ${nameOf.get(a.forPersonId)}` : ''}`
          : `ledamot${seat && SEAT_ROLE_SV[seat.role] ? `, ${SEAT_ROLE_SV[seat.role]}` : ''}${member ? ` (${member})` : ''}`;
      return {
        name: a.person.name,
        seat: text,
        declined: a.status === 'declined',
        released: a.status === 'released',
        ...(declineRenewable && a.status !== 'released' ? { renew: { action: `/admin/moten/${m.id}/kallade/${encodeURIComponent(a.personId)}/ny-lank` } } : {}),
      };
    });
    const q = att.quorum;
    const quorum =
      att.rows.length && stage !== 'cancelled'
        ? {
            ok: q.quorate,
            text: `${q.expected} av ${q.seats} platser väntas vara besatta av ledamöter eller inkallade ersättare; minst ${q.needed} behövs. ${q.quorate ? 'Styrelsen blir beslutsför.' : 'Styrelsen blir inte beslutsför: ta kontakt med ledamöterna och ersättarna, eller flytta mötet.'}`,
          }
        : undefined;
    const calledNote = !att.rows.length
      ? planned && adopted && !begun
        ? 'Ingen är kallad än. Ledamöterna får en kalenderinbjudan när mötets arbetsflöde startar.'
        : 'Ingen kallades genom Årscykel.'
      : undefined;

    // --- the agenda
    const ownerChoice = { options: owners[0].options, groups: owners.slice(1) };
    const itemEdit = (i: (typeof items)[number], n: number): NonNullable<AgendaItemRow['edit']> => {
      const next = items[n + 1];
      const here = next?.id ?? LAST;
      const matter = i.kind === 'matter';
      return {
        ...(matter ? {} : { retitle: { action: `/admin/moten/${m.id}/punkter/${i.id}/rubrik`, state: state(`rubrik:${i.id}`, { title: i.title }) } }),
        proposal: { action: `/admin/moten/${m.id}/punkter/${i.id}/forslag`, state: state(`forslag:${i.id}`, { proposal: i.proposal ?? '' }) },
        move: {
          action: `/admin/moten/${m.id}/punkter/${i.id}/flytta`,
          state: state(`flytta:${i.id}`, { before: here }),
          options: [
            ...items.filter((x) => x.id !== i.id).map((x) => ({ value: x.id, text: `${placeText(x)}${x.id === here ? ' (där punkten står nu)' : ''}` })),
            { value: LAST, text: `Sist på listan${here === LAST ? ' (där punkten står nu)' : ''}` },
          ],
        },
        ...(!matter && items.length > 1 ? { remove: { action: `/admin/moten/${m.id}/punkter/${i.id}/ta-bort` } } : {}),
        ...(matter ? { note: 'Ärendets punkt har ärendets rubrik och står kvar på föredragningslistan; den kan flyttas. Ett ärende flyttas till ett annat sammanträde genom att inte vara berett när listan stängs för ärenden.' } : {}),
        ...(sent?.form === `rubrik:${i.id}` || sent?.form === `flytta:${i.id}` ? { open: true } : {}),
      };
    };
    // --- the närvaro and each §'s record
    const keyed = begun && planned ? await keyedRosterOf(prisma, forbundId, meetingDate(m)) : [];
    const narvaro = (m.narvaro as Narvaro | null) ?? null;
    const keyOfId = new Map(keyed.map((x) => [x.personId, x.key]));
    const nameOfId = (id: string) => keyed.find((x) => x.personId === id)?.name ?? narvaro?.board.find((p) => p.personId === id)?.name ?? '';
    const present: PresentPerson[] = (narvaro?.board ?? []).map((p) => ({
      key: keyOfId.get(p.personId) ?? p.personId,
      label: `${p.name} (${p.role === 'beslutande' ? 'beslutande' : p.role === 'tjanstgorande' ? `tjänstgörande ersättare för ${nameOfId(p.forPersonId ?? '')}` : 'ersättare'})`,
    }));
    const narvaroView = begun && planned && (narvaro || canRecord) ? narvaroViewOf(keyed, narvaro, canRecord ? state('narvaro', narvaroValues(keyed, narvaro, att)) : undefined, m.id, sent) : undefined;
    const recordOf = (i: (typeof items)[number]) => (i.record as ParagraphRecord | null) ?? null;
    const recordRows = (r: ParagraphRecord | null) => ({ reservations: Math.min(MAX_ROWS, Math.max(2, (r?.reservations.length ?? 0) + 1)), notes: Math.min(MAX_ROWS, Math.max(2, (r?.notes.length ?? 0) + 1)) });
    const recordValues = (r: ParagraphRecord | null): Record<string, string> => {
      const key = (id: string) => keyOfId.get(id) ?? id;
      const v: Record<string, string> = {};
      for (const x of r?.notTakingPart ?? []) v[`${x.reason}:${key(x.personId)}`] = '1';
      (r?.reservations ?? []).forEach((x, k) => Object.assign(v, { [`res-person-${k}`]: key(x.personId), [`res-text-${k}`]: x.text ?? '' }));
      (r?.notes ?? []).forEach((x, k) => Object.assign(v, { [`ant-person-${k}`]: key(x.personId), [`ant-text-${k}`]: x.text }));
      if (r?.vote) {
        for (const [side, value] of [['yes', 'ja'], ['no', 'nej'], ['abstain', 'avstar']] as const) for (const id of r.vote[side]) v[`rost:${key(id)}`] = value;
        v.resultat = r.vote.result;
      }
      return v;
    };
    const sentRows = (prefix: string) => (sent ? Object.keys(sent.values).filter((k) => k.startsWith(prefix)).length : 0);

    const itemRows: AgendaItemRow[] = await Promise.all(
      items.map(async (i, n) => {
        const anchor = `punkt-${i.id}`;
        const decisionsOpen = canDecide || canSendMinutes;
        const followUp = i.actionBy || i.actionDue ? `Återrapporteras av ${i.actionBy ? await ownerText(forbundId, i.actionBy) : 'tjänstepersonen'}${i.actionDue ? ` senast ${svDate(isoDay(i.actionDue))}` : ''}.` : undefined;
        const flashed = doneAt(req) === anchor ? flashOf(req) : undefined;
        return {
          id: i.id,
          anchor,
          heading: i.paragraph !== null ? `§ ${i.paragraph} ${i.title}` : `${i.number}. ${i.title}`,
          ...(i.matter ? { matter: `Dnr ${i.matter.dnr}, ${MATTER_STATUS_SV[i.matter.status] ?? i.matter.status}` } : {}),
          documents: i.matter ? ((i.matter.documents as { title: string; url: string }[] | null) ?? []) : [],
          ...(i.decision ? { decision: i.decision } : {}),
          ...(followUp ? { followUp } : {}),
          missing: decisionsOpen && i.kind === 'matter' && !i.decision?.trim(),
          ...(flashed ? { flash: flashed } : {}),
          ...(canDecide
            ? { form: { action: `/admin/moten/${m.id}/punkter/${i.id}/beslut`, state: state(`beslut:${i.id}`, { decision: i.decision ?? '', actionBy: i.actionBy ?? '', actionDue: i.actionDue ? isoDay(i.actionDue) : '', version: String(i.version) }), actionBy: ownerChoice, ...(sent?.form === `beslut:${i.id}` && sent.conflict ? { conflict: sent.conflict } : {}) } }
            : {}),
          ...(canEditAgenda ? { edit: itemEdit(i, n) } : {}),
          ...(recordOf(i) ? { record: recordLines(printedRecord(recordOf(i)!, nameOfId)) } : {}),
          ...(canRecord
            ? {
                recordForm: {
                  action: `/admin/moten/${m.id}/punkter/${i.id}/paragraf`,
                  state: state(`paragraf:${i.id}`, recordValues(recordOf(i))),
                  people: present,
                  voters: present,
                  rows: sent?.form === `paragraf:${i.id}` ? { reservations: Math.max(1, sentRows('res-person-')), notes: Math.max(1, sentRows('ant-person-')) } : recordRows(recordOf(i)),
                  ...(narvaro ? {} : { note: 'För in närvaron först: den avgör vem som kan vara jävig, reservera sig och rösta.' }),
                },
              }
            : {}),
        };
      }),
    );
    const agendaNote = !items.length
      ? 'Ingen föredragningslista än. Den görs när ledamöterna bjuds in: de stående punkterna, och ärendena när föredragningslistan stängs för ärenden.'
      : !m.kallelseSentAt && planned
        ? `Så här ser föredragningslistan ut nu. Beredda ärenden kommer med när den stängs för ärenden${plan ? ` ${svDate(toStockholmDate(agendaCloses))}` : ''}; ärenden som inte är beredda då flyttas till nästa sammanträde och den ansvarige får veta det.`
        : canDecide && !m.heldAt
          ? 'Punkterna får sina paragrafnummer när sammanträdet är slut. Besluten kan föras in redan nu.'
          : canDecide
            ? 'För in beslutet på varje ärende. Övriga punkter får ett beslut om det behövs i protokollet.'
            : undefined;

    // --- the matters
    // A matter not yet prepared is marked prepared here too, as on the start page (until the kallelse fixes the agenda).
    const canPrepare = planned && !m.kallelseSentAt;
    const matterRows = await Promise.all(
      matters.map(async (x) => ({
        dnr: x.dnr,
        href: `/admin/arenden/${encodeURIComponent(x.dnr)}`,
        title: x.title,
        status: MATTER_STATUS_SV[x.status] ?? x.status,
        owner: await ownerText(forbundId, x.owner),
        ...(canPrepare && x.status === 'registered' ? { prepare: { action: `/admin/arenden/${encodeURIComponent(x.dnr)}/berett`, back: `/admin/moten/${m.id}#arenden` } } : {}),
      })),
    );
    const matterNote = canRegister
      ? isAdmin(req)
        ? undefined
        : 'Ärenden registreras av tjänstepersonen.'
      : planned && !m.kallelseSentAt && plan
        ? `Föredragningslistan stängdes för ärenden ${svDate(toStockholmDate(agendaCloses))}. Nya ärenden registreras till ett senare sammanträde.`
        : undefined;

    // --- minutes and justering
    const minutes: BoardMeetingView['minutes'] = { paragraphs: [] };
    if (stage === 'cancelled' || stage === 'past') minutes.paragraphs.push('Inget protokoll sköts genom Årscykel för det här mötet.');
    else if (!m.heldAt) minutes.paragraphs.push('När sammanträdet är slut får punkterna sina paragrafnummer. Då för du in besluten och skickar protokollet till justeraren.');
    if (canSendMinutes) {
      const missing = items.filter((i) => i.kind === 'matter' && !i.decision?.trim()).map((i) => `${i.paragraph !== null ? `§ ${i.paragraph}` : `punkt ${i.number}`} ${i.title}`);
      if (missing.length) minutes.missing = missing;
      minutes.send = {
        action: `/admin/moten/${m.id}/protokoll`,
        state: state('protokoll', { justerare: '', justerare2: '', plats: '' }),
        options: invited.map((a) => ({ value: a.person.key, text: a.person.name })),
        hint: `Ordföranden och justerarna får protokollet som PDF per e-post, med kopia till sekreteraren, och var sin personlig länk där de läser och justerar det senast ${svDayDate(due)}; justeraren påminns två arbetsdagar innan och dagen efter om det dröjer. Protokollet är justerat när alla har justerat, och anslås då på förbundets anslagstavla.`,
      };
    }
    if (m.minutesSentAt && planned) {
      // Who signs (the ordförande and the justerare) and who has; a new justering link for one who has not, as renewSignLink.
      minutes.signers = (await protocolSigners(prisma, m)).map((x) => ({
        name: x.name,
        role: x.role === 'ordforande' ? 'ordförande' : 'justerare',
        ...(x.signedAt ? { signedAt: svDate(toStockholmDate(x.signedAt)) } : {}),
        ...(!signLinkClosed(m, x.signedAt) ? { renew: { action: `/admin/moten/${m.id}/justerare/${encodeURIComponent(x.personId)}/ny-lank` } } : {}),
      }));
    }
    if (canJustera) {
      minutes.paragraphs.push(`Protokollet är hos ${justerare?.name ?? m.justerare}, som ska justera det senast ${svDayDate(due)}.`);
      minutes.justering = {
        action: `/admin/moten/${m.id}/justering`,
        hint: 'När protokollet är justerat registrerar du det här. Då får varje medlemsorganisation besluten per e-post (dess registrator, annars dess ledamot), och beslut med någon som ska återrapportera följs upp. Besluten kan sedan inte ändras.',
      };
    }
    if (m.justeradAt) minutes.paragraphs.push(`Protokollet justerades ${svDate(toStockholmDate(m.justeradAt))}. ${m.decisionsSentAt ? `Besluten skickades till medlemsorganisationerna ${svDate(toStockholmDate(m.decisionsSentAt))}.` : 'Besluten skickas till medlemsorganisationerna.'}`);

    const vid = doneAt(req) ?? '';
    const flash = flashOf(req);
    const sections: Section[] = ['kallelse', 'kallade', 'narvaro', 'foredragningslista', 'arenden', 'protokoll'];
    const view: BoardMeetingView = {
      chrome: c,
      heading: headingOf(m),
      back: { href: `/admin/ar/${m.year}#mote-${m.id}`, text: `Året ${m.year}` },
      lead: lead[stage] ?? '',
      facts,
      ...(flash && sections.includes(vid as Section) ? { sectionFlash: { at: vid as Section, flash } } : {}),
      ...(flash && !vid ? { flash } : {}),
      kallelse: {
        paragraphs: kallelse,
        pdf: m.heldAt ? { href: `/admin/moten/${m.id}/kallelse.pdf`, text: 'Protokollet som PDF' } : { href: `/admin/moten/${m.id}/kallelse.pdf`, text: m.kallelseSentAt ? 'Kallelsen som PDF' : 'Kallelsen som PDF, som den ser ut nu' },
        ...(canSendKallelse ? { sendHref: `/admin/moten/${m.id}/skicka-kallelse` } : {}),
      },
      called: {
        rows: calledRows,
        ...(quorum ? { quorum } : {}),
        ...(calledNote ? { note: calledNote } : {}),
        ...(canDecline
          ? {
              decline: {
                action: `/admin/moten/${m.id}/forhinder`,
                state: state('forhinder', { person: '' }),
                options: invited.map((a) => ({ value: a.person.key, text: a.person.name })),
                hint: `För den som har hört av sig till dig. Nästa lediga ersättare för samma medlemsorganisation, i den ordning medlemmen har bestämt, kallas in och får en kalenderinbjudan${m.kallelseSentAt ? ' och kallelsen' : ''} per e-post. Finns ingen ledig ersättare för medlemmen blir platsen tom (finsamlagen 12 §). Den som har förhinder får en bekräftelse, med kopia till sekreteraren.`,
              },
            }
          : {}),
      },
      ...(narvaroView ? { narvaro: narvaroView } : {}),
      agenda: {
        ...(agendaNote ? { note: agendaNote } : {}),
        items: itemRows,
        ...(canEditAgenda
          ? {
              add: {
                action: `/admin/moten/${m.id}/punkter`,
                state: state('punkt', { title: '', before: items.find((i) => i.kind === 'other_questions')?.id ?? LAST }),
                options: [...items.map((x) => ({ value: x.id, text: placeText(x) })), { value: LAST, text: 'Sist på listan' }],
                hint: 'En punkt som inte är ett ärende, till exempel en information. Ärenden kommer med när de är beredda. Du kan ändra föredragningslistan tills kallelsen går ut; kallelsen tar med listan som den ser ut då. Inga personnummer.',
              },
            }
          : {}),
      },
      matters: {
        rows: matterRows,
        ...(registered ? { registered } : {}),
        ...(matterNote ? { note: matterNote } : {}),
        ...(canRegister && isAdmin(req)
          ? {
              register: {
                action: `/admin/moten/${m.id}/arenden`,
                state: state('arende', { title: '', kind: '', owner: '' }),
                kinds: MATTER_KINDS.map((x) => ({ value: x, text: MATTER_KIND_NAMES[x] })),
                owners,
                ...(sent?.form === 'arende' && sent.duplicate ? { duplicate: sent.duplicate } : {}),
                hint: `Ärendet får nästa diarienummer och går till beredningen. Det ska markeras som berett senast ${svDate(toStockholmDate(agendaCloses))} kl. ${svTime(toStockholmTime(agendaCloses))}; annars flyttas det till nästa sammanträde och den ansvarige får veta det per e-post. Inga personnummer.`,
              },
            }
          : {}),
      },
      minutes,
      ...(sent ? { errors: errorLinks(sent) } : {}),
    };
    html(res, status, boardMeetingPage(view));
  }

  /** The närvaro's form values: as recorded, or else as the meeting was called (a ledamot with förhinder absent, a called-in ersättare serving). */
  function narvaroValues(roster: KeyedSeat[], narvaro: Narvaro | null, att: Awaited<ReturnType<typeof attendanceOf>>): Record<string, string> {
    const keyOf = new Map(roster.map((x) => [x.personId, x.key]));
    const v: Record<string, string> = {};
    for (const x of roster) v[`n:${x.key}`] = 'franvarande';
    if (narvaro) {
      for (const p of narvaro.board) {
        const key = keyOf.get(p.personId);
        if (key) v[`n:${key}`] = p.role === 'tjanstgorande' ? `tjanstgorande:${keyOf.get(p.forPersonId ?? '') ?? ''}` : p.role;
      }
      narvaro.others.forEach((o, k) => Object.assign(v, { [`ovrig-namn-${k}`]: o.name, [`ovrig-titel-${k}`]: o.title }));
      return v;
    }
    for (const x of roster) {
      const row = att.rows.find((r) => r.personId === x.personId);
      if (x.role !== 'deputy') v[`n:${x.key}`] = row?.status === 'declined' ? 'franvarande' : 'beslutande';
      else if (row && row.status === 'invited' && row.forPersonId && keyOf.has(row.forPersonId)) v[`n:${x.key}`] = `tjanstgorande:${keyOf.get(row.forPersonId)}`;
    }
    return v;
  }

  /** The närvaro section: as recorded, and the form (a choice per person of the roster, others present by name and title). */
  function narvaroViewOf(roster: KeyedSeat[], narvaro: Narvaro | null, st: FormState | undefined, meetingId: string, sent?: SentBack): NarvaroView {
    const recorded = narvaro ? printedNarvaro(narvaro, roster) : undefined;
    const groups = recorded
      ? ([
          ['Beslutande ledamöter', recorded.beslutande.map((p) => `${p.name}${p.memberName ? ` (${p.memberName})` : ''}${p.title ? `, ${p.title}` : ''}`)],
          ['Tjänstgörande ersättare', recorded.tjanstgorande.map((p) => `${p.name}${p.memberName ? ` (${p.memberName})` : ''} för ${p.forName}`)],
          ['Ersättare, ej tjänstgörande', recorded.ersattare.map((p) => `${p.name}${p.memberName ? ` (${p.memberName})` : ''}`)],
          ['Övriga närvarande', recorded.others.map((o) => `${o.name}, ${o.title}`)],
        ] as [string, string[]][]).filter(([, names]) => names.length).map(([label, names]) => ({ label, names }))
      : undefined;
    const ledamoter = roster.filter((x) => x.role !== 'deputy');
    const ordered = [...ledamoter, ...roster.filter((x) => x.role === 'deputy').sort((a, b) => (a.memberName ?? '').localeCompare(b.memberName ?? '', 'sv') || (a.order ?? 1e9) - (b.order ?? 1e9))];
    const people = ordered.map((x) => ({
      key: x.key,
      label: x.role === 'deputy' ? `${x.name} (ersättare${x.memberName ? `, ${x.memberName}` : ''})` : `${x.name} (ledamot${SEAT_ROLE_SV[x.role] ? `, ${SEAT_ROLE_SV[x.role]}` : ''}${x.memberName ? `, ${x.memberName}` : ''})`,
      options: narvaroChoices(roster, x),
    }));
    const others = sent?.form === 'narvaro' ? Math.max(1, Object.keys(sent.values).filter((k) => k.startsWith('ovrig-namn-')).length) : Math.min(MAX_ROWS, Math.max(3, (narvaro?.others.length ?? 0) + 2));
    return {
      ...(groups ? { recorded: groups } : {}),
      ...(!narvaro ? { note: 'Närvaron är inte införd än. Den kommer med i protokollet: vilka som var beslutande, vilka ersättare som tjänstgjorde och för vem, och övriga närvarande.' } : {}),
      ...(st
        ? {
            form: {
              action: `/admin/moten/${meetingId}/narvaro`,
              state: st,
              people,
              others,
              hint: 'Välj för var och en hur hen var närvarande. En ersättare tjänstgör bara för en ledamot från samma medlemsorganisation (finsamlagen 12 §). Förvalt är som mötet kallades.',
            },
          }
        : {}),
    };
  }

  /** A person's choices in the närvaro form: a ledamot is beslutande or absent; an ersättare serves for a ledamot of the same member, is present not serving, or absent. */
  function narvaroChoices(roster: KeyedSeat[], x: KeyedSeat): Option[] {
    if (x.role !== 'deputy') return [{ value: 'beslutande', text: 'Beslutande' }, { value: 'franvarande', text: 'Frånvarande' }];
    const same = roster.filter((l) => l.role !== 'deputy' && l.memberId && l.memberId === x.memberId);
    return [...same.map((l) => ({ value: `tjanstgorande:${l.key}`, text: `Tjänstgörande för ${l.name}` })), { value: 'ersattare', text: 'Närvarande, ej tjänstgörande' }, { value: 'franvarande', text: 'Frånvarande' }];
  }

  /** The error summary's links to the fields of the form sent back. */
  function errorLinks(sent: SentBack): ErrorLink[] {
    if (sent.form === 'narvaro') return Object.entries(sent.errors).map(([f, text]) => ({ href: `#${fieldId('narvaro', f)}`, text }));
    if (sent.form.startsWith('paragraf:')) return Object.entries(sent.errors).map(([f, text]) => ({ href: `#${fieldId(`punkt-${sent.form.slice('paragraf:'.length)}`, f)}`, text }));
    const ids: Record<string, Record<string, string>> = {
      arende: { title: 'arende-rubrik', kind: 'arende-slag', owner: 'arende-ansvarig' },
      forhinder: { person: 'forhinder-person' },
      protokoll: { justerare: 'protokoll-justerare', justerare2: 'protokoll-justerare2', plats: 'protokoll-plats', items: 'protokoll-justerare' },
      punkt: { title: 'punkt-ny-rubrik', before: 'punkt-ny-placering' },
    };
    const [kind, item] = sent.form.includes(':') ? sent.form.split(':') : [sent.form, undefined];
    const inItem: Record<string, Record<string, string>> = { beslut: { decision: 'beslut', actionBy: 'vem', actionDue: 'senast' }, rubrik: { title: 'ny-rubrik' }, forslag: { proposal: 'forslag' }, flytta: { before: 'placering' } };
    const idOf = (f: string) => (item ? `punkt-${item}-${inItem[kind]?.[f] ?? Object.values(inItem[kind] ?? { x: 'beslut' })[0]}` : ids[sent.form]?.[f] ?? '');
    return Object.entries(sent.errors).map(([f, text]) => ({ href: `#${idOf(f)}`, text }));
  }

  // --- the page and the PDF

  page(r, { method: 'get', path: '/moten/:id', summary: "one board meeting: when and where, its stage, who is called and the quorum forecast, the föredragningslista with its matters and decisions, and the actions its stage allows as forms (Swedish HTML page; signed in with a session cookie as admin or secretary)", params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    await renderMeeting(req, res, await boardMeeting(req));
  });

  page(r, { method: 'get', path: '/moten/:id/kallelse.pdf', summary: 'the printable kallelse with the föredragningslista as it stands (the protokoll once the meeting is held), as GET meetings/:id/kallelse.pdf (signed in with a session cookie as admin or secretary)', params: { id: 'board meeting id' }, response: { contentType: 'application/pdf' } }, async (req, res) => {
    const { pdf, filename } = await kallelsePdfOf(prisma, await boardMeeting(req), deps.publicBaseUrl);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${filename}"`).send(Buffer.from(pdf));
  });

  // --- register a matter (the official's, as POST matters)

  page(r, { method: 'post', path: '/moten/:id/arenden', summary: 'register a matter for this board meeting (form fields title, kind, owner), as POST matters with meeting; the official only; errors are shown next to the fields and nothing is stored (HTML form POST from this site; answers with a redirect)', params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'registrera ett ärende');
    const m = await boardMeeting(req);
    const a = await registerFromForm(k, req, { action: `/admin/moten/${m.id}/arenden`, meetingId: m.id });
    if (!a.ok) return renderMeeting(req, res, m, a.status, { form: 'arende', values: a.values, errors: a.errors, ...(a.duplicate ? { duplicate: a.duplicate } : {}) });
    res.redirect(303, registeredTarget(`/admin/moten/${m.id}`, a.dnr, a.later, 'arenden'));
  });

  // --- send the kallelse now (with a confirmation)

  page(r, { method: 'get', path: '/moten/:id/skicka-kallelse', summary: 'confirm sending the kallelse now: the meeting, the föredragningslista as it stands, who gets it (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const c = await chrome(req, res, 'other');
    const back = { href: `/admin/moten/${m.id}#kallelse`, text: 'Nej, tillbaka till mötet' };
    if (m.kallelseSentAt) return html(res, 200, messagePage({ chrome: c, title: 'Kallelsen har redan gått ut', paragraphs: [`Kallelsen till ${headingOf(m).replace(/^./, (x) => x.toLowerCase())} gick ut ${when(m.kallelseSentAt)}.`], links: [backToMeeting(m)] }));
    const plan = await boardPlan(prisma, m.id);
    if (stageOf(m, deps.now()) !== 'planned' || !plan?.adopted) return html(res, 409, messagePage({ chrome: c, title: 'Kallelsen kan inte skickas', paragraphs: [m.status === 'cancelled' ? 'Mötet är inställt.' : !plan?.adopted ? `Sammanträdesplanen för ${m.year} är inte fastställd.` : 'Sammanträdet har redan varit.', 'Inget har ändrats.'], links: [backToMeeting(m)] }));
    const [items, att] = await Promise.all([agendaOf(prisma, m.id), attendanceOf(prisma, m)]);
    const closed = deps.now() >= new Date(plan.agendaClosesAt);
    html(
      res,
      200,
      confirmPage({
        chrome: c,
        title: `Skicka kallelsen till ${headingOf(m).replace(/^./, (x) => x.toLowerCase())} nu?`,
        lead: `Kallelsen går annars ut ${svDayDate(plan.kallelseDate)}. Kontrollera föredragningslistan innan du skickar.`,
        facts: [
          ['Tid', svWhen(meetingTime(m))],
          ['Plats', m.location ?? 'Ingen plats angiven'],
          ['Kallas', att.rows.filter((a) => a.status === 'invited').map((a) => a.person.name).join(', ') || 'Ingen är kallad än'],
        ],
        body: `<h2>Föredragningslista</h2>${items.length ? `<ol class="agenda">${items.map((i) => `<li value="${i.number}">${escape(i.title)}${i.matter ? ` <span class="muted">(Dnr ${escape(i.matter.dnr)})</span>` : ''}</li>`).join('')}</ol>` : '<p>Föredragningslistan har bara de stående punkterna än.</p>'}`,
        warning: `Ledamöterna och de inkallade ersättarna får kallelsen med föredragningslistan och en PDF per e-post nu; övriga ersättare, sekreteraren och tjänstepersonen får den för kännedom. Därefter kan föredragningslistan inte ändras.${closed ? '' : ' Föredragningslistan stängs för ärenden nu: ärenden som inte är beredda flyttas till nästa sammanträde och den ansvarige får veta det.'} Det går inte att ångra.`,
        action: `/admin/moten/${m.id}/skicka-kallelse`,
        button: 'Ja, skicka kallelsen nu',
        back,
      }),
    );
  });

  page(r, { method: 'post', path: '/moten/:id/skicka-kallelse', summary: "send the kallelse now, as POST meetings/:id/kallelse (the meeting's workflow answers; HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const a = await answered(req, res, m, () => sendKallelseNowFor(deps, m.id, actor(req)));
    if (!a.ok) {
      if (a.error) throw a.error;
      return;
    }
    res.redirect(303, done(m.id, 'kallelse-skickad', 'kallelse'));
  });

  // --- a förhinder reported on a ledamot's behalf

  page(r, { method: 'post', path: '/moten/:id/forhinder', summary: "report a förhinder on a ledamot's behalf (form field person: a person key), as POST meetings/:id/decline: the next ersättare is called in (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const values = { person: trimmed(formOf(req).person) };
    if (!values.person || values.person.length > 100) return renderMeeting(req, res, m, 400, { form: 'forhinder', values, errors: { person: 'Välj vem som har förhinder.' } });
    const a = await answered(req, res, m, () => declineFor(deps, m, values.person, actor(req)));
    if (!a.ok) {
      if (a.error) return renderMeeting(req, res, m, 400, { form: 'forhinder', values, errors: { person: 'Välj en av dem som är kallade till mötet.' } });
      return;
    }
    res.redirect(303, done(m.id, a.value.calledIn ? 'forhinder-anmalt' : 'forhinder-ingen-ersattare', 'kallade'));
  });

  // --- a new personal link: the "can't come" link of one called, the justering link of one who signs

  /** A link renewed by a service of services/lankar.ts: back to the meeting's section with a message (a refusal as a Swedish page, nothing changed). */
  async function renewed(res: Response, m: MeetingRow, at: 'kallade' | 'protokoll', code: string, p: Promise<{ mailed: Mailed }>) {
    let mailed: Mailed;
    try {
      mailed = (await p).mailed;
    } catch (err) {
      if (err instanceof Refusal) throw new PageError(err.status, 'Länken kunde inte bytas', [err.sv]);
      throw err;
    }
    res.redirect(303, done(m.id, mailed === 'failed' || mailed === 'not-sent' ? `${code}-ej-skickad` : code, at));
  }

  page(r, { method: 'post', path: '/moten/:id/kallade/:personId/ny-lank', summary: "send one called person a new \"can't come\" (förhinder) link, as POST meetings/:id/attendance/:personId/link/renew: the earlier link stops working; until the meeting begins (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id', personId: 'person id of the one called' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    await renewed(res, m, 'kallade', 'ny-forhinderslank', renewDeclineLink(deps, { forbundId: fid(req), meetingId: m.id, personId: String(req.params.personId), by: actor(req) }));
  });

  page(r, { method: 'post', path: '/moten/:id/justerare/:personId/ny-lank', summary: 'send the ordförande or a justerare a new justering link, as POST meetings/:id/signers/:personId/link/renew: the earlier link stops working; while the minutes are out for justering and the person has not signed (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'board meeting id', personId: 'person id of the ordförande or a justerare' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    await renewed(res, m, 'protokoll', 'ny-justeringslank', renewSignLink(deps, { forbundId: fid(req), meetingId: m.id, personId: String(req.params.personId), by: actor(req) }));
  });

  // --- the föredragningslista until the kallelse goes (as PUT meetings/:id/agenda: the whole list, in order)

  type AgendaRows = Awaited<ReturnType<typeof agendaOf>>;
  const TITLE_HAS_IDENTITY_NUMBER = 'Rubriken ser ut att innehålla ett personnummer. Ta bort det; Årscykel sparar inga personnummer.';
  const titleProblem = (title: string) => (!title ? 'Skriv punktens rubrik.' : title.length > 300 ? 'Rubriken får vara högst 300 tecken.' : screenField('title', title)?.sv);

  /** The meeting's list, when it can still be changed; else the Swedish 409 page (and undefined). The workflow checks again. */
  async function editableAgenda(req: Request, res: Response, m: MeetingRow): Promise<AgendaRows | undefined> {
    const stage = stageOf(m, deps.now());
    if (stage !== 'planned') {
      await refusedPage(req, res, m, stage === 'cancelled' ? 'Mötet är inställt.' : stage === 'past' ? 'Sammanträdet har redan varit.' : 'Kallelsen har redan gått ut, så föredragningslistan kan inte längre ändras.');
      return undefined;
    }
    const items = await agendaOf(prisma, m.id);
    if (!items.length) {
      await refusedPage(req, res, m, 'Föredragningslistan finns inte än: den görs när ledamöterna bjuds in.');
      return undefined;
    }
    return items;
  }

  function itemOf(req: Request, items: AgendaRows) {
    const item = items.find((i) => i.id === String(req.params.itemId));
    if (!item) throw new PageError(404, 'Punkten finns inte', ['Det finns ingen sådan punkt på mötets föredragningslista.']);
    return item;
  }

  /**
   * The edited list to the meeting's workflow (as PUT meetings/:id/agenda). Its refusal is the 409 page
   * (undefined); a title it rejects (a personnummer) comes back as `title`; any other wrong field means
   * the list changed meanwhile (an item gone, a prepared matter come), a Swedish 409 page.
   */
  async function saveAgenda(req: Request, res: Response, m: MeetingRow, list: AgendaEditInput[]): Promise<{ items: { id: string }[] } | { title: string } | undefined> {
    const a = await answered(req, res, m, () => editAgendaFor(deps, m.id, list, actor(req)));
    if (a.ok) return { items: a.value };
    if (!a.error) return undefined;
    if (a.error.fields.some((f) => /^items\[\d+\]\.title$/.test(f.field) && /identity number/.test(f.problem))) return { title: TITLE_HAS_IDENTITY_NUMBER };
    throw new PageError(409, 'Föredragningslistan har ändrats', ['Föredragningslistan ändrades medan du arbetade med den, till exempel av att ett berett ärende kom med. Inget har ändrats; gör om ändringen på mötets sida.']);
  }

  page(r, { method: 'post', path: '/moten/:id/punkter', summary: "add an item to the föredragningslista (form fields title, before: the id of the item it goes before, or 'sist'), as PUT meetings/:id/agenda with the new item; until the kallelse goes; the meeting's workflow answers, errors are shown next to the fields (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const items = await editableAgenda(req, res, m);
    if (!items) return;
    const form = formOf(req);
    const values = { title: trimmed(form.title), before: trimmed(form.before) };
    const errors: Record<string, string> = {};
    const t = titleProblem(values.title) ?? (items.length >= MAX_AGENDA_ITEMS ? `Föredragningslistan har redan ${MAX_AGENDA_ITEMS} punkter; ta bort en punkt först.` : undefined);
    if (t) errors.title = t;
    if (values.before !== LAST && !items.some((i) => i.id === values.before)) errors.before = 'Välj var på listan punkten ska stå.';
    if (Object.keys(errors).length) return renderMeeting(req, res, m, 400, { form: 'punkt', values, errors });
    const saved = await saveAgenda(req, res, m, placed(items.map((i) => i.id), { title: values.title }, values.before));
    if (!saved) return;
    if ('title' in saved) return renderMeeting(req, res, m, 400, { form: 'punkt', values, errors: { title: saved.title } });
    const known = new Set(items.map((i) => i.id));
    const added = saved.items.find((i) => !known.has(i.id));
    res.redirect(303, done(m.id, 'punkt-tillagd', added ? `punkt-${added.id}` : 'foredragningslista'));
  });

  page(r, { method: 'post', path: '/moten/:id/punkter/:itemId/rubrik', summary: "give an agenda item a new title (form field title), as PUT meetings/:id/agenda; not a matter's item (it keeps the matter's title); until the kallelse goes; errors are shown next to the field (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id', itemId: 'agenda item id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const items = await editableAgenda(req, res, m);
    if (!items) return;
    const item = itemOf(req, items);
    if (item.kind === 'matter') throw new PageError(409, 'Rubriken kan inte ändras här', ['Ärendets punkt har ärendets rubrik. Inget har ändrats.']);
    const values = { title: trimmed(formOf(req).title) };
    const formKey = `rubrik:${item.id}`;
    const t = titleProblem(values.title);
    if (t) return renderMeeting(req, res, m, 400, { form: formKey, values, errors: { title: t } });
    const saved = await saveAgenda(req, res, m, items.map((i) => (i.id === item.id ? { id: i.id, title: values.title } : { id: i.id })));
    if (!saved) return;
    if ('title' in saved) return renderMeeting(req, res, m, 400, { form: formKey, values, errors: { title: saved.title } });
    res.redirect(303, done(m.id, 'punkt-andrad', `punkt-${item.id}`));
  });

  page(r, { method: 'post', path: '/moten/:id/punkter/:itemId/forslag', summary: "write the item's förslag till beslut (form field proposal; empty removes it), printed in the kallelse, as PUT meetings/:id/agenda; until the kallelse goes (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id', itemId: 'agenda item id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const items = await editableAgenda(req, res, m);
    if (!items) return;
    const item = itemOf(req, items);
    const values = { proposal: trimmed(formOf(req).proposal) };
    const formKey = `forslag:${item.id}`;
    if (values.proposal.length > 5000) return renderMeeting(req, res, m, 400, { form: formKey, values, errors: { proposal: 'Skriv förslaget med högst 5 000 tecken.' } });
    const saved = await saveAgenda(req, res, m, items.map((i) => (i.id === item.id ? { id: i.id, proposal: values.proposal || null } : { id: i.id })));
    if (!saved) return;
    if ('title' in saved) return renderMeeting(req, res, m, 400, { form: formKey, values, errors: { proposal: saved.title } });
    res.redirect(303, done(m.id, 'forslag-sparat', `punkt-${item.id}`));
  });

  page(r, { method: 'post', path: '/moten/:id/punkter/:itemId/flytta', summary: "move an agenda item (form field before: the id of the item it goes before, or 'sist'), as PUT meetings/:id/agenda in the new order; the items are numbered anew; until the kallelse goes (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id', itemId: 'agenda item id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const items = await editableAgenda(req, res, m);
    if (!items) return;
    const item = itemOf(req, items);
    const values = { before: trimmed(formOf(req).before) };
    if (values.before === item.id || (values.before !== LAST && !items.some((i) => i.id === values.before))) return renderMeeting(req, res, m, 400, { form: `flytta:${item.id}`, values, errors: { before: 'Välj var på listan punkten ska stå.' } });
    const saved = await saveAgenda(req, res, m, placed(items.filter((i) => i.id !== item.id).map((i) => i.id), { id: item.id }, values.before));
    if (!saved) return;
    if ('title' in saved) throw new Error('a move sends no title');
    res.redirect(303, done(m.id, 'punkt-flyttad', `punkt-${item.id}`));
  });

  page(r, { method: 'post', path: '/moten/:id/punkter/:itemId/ta-bort', summary: "remove an agenda item, as PUT meetings/:id/agenda without it; not a matter's item (it stays on the agenda); until the kallelse goes (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id', itemId: 'agenda item id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const items = await editableAgenda(req, res, m);
    if (!items) return;
    const item = itemOf(req, items);
    if (item.kind === 'matter') throw new PageError(409, 'Punkten kan inte tas bort', ['Ett ärende står kvar på föredragningslistan: det kan flyttas på listan men inte tas bort. Inget har ändrats.']);
    if (items.length === 1) throw new PageError(409, 'Punkten kan inte tas bort', ['Föredragningslistan måste ha minst en punkt. Inget har ändrats.']);
    const saved = await saveAgenda(req, res, m, items.filter((i) => i.id !== item.id).map((i) => ({ id: i.id })));
    if (!saved) return;
    if ('title' in saved) throw new Error('a removal sends no title');
    res.redirect(303, done(m.id, 'punkt-borttagen', 'foredragningslista'));
  });

  // --- the decision on an agenda item

  page(r, { method: 'post', path: '/moten/:id/punkter/:itemId/beslut', summary: "record the decision on an agenda item (form fields decision, actionBy, actionDue, and version: the item's version when the form was shown), as PUT meetings/:id/agenda/:itemId/decision; the meeting's workflow answers, errors are shown next to the fields; a decision someone else saved meanwhile (a stale version) gives the form again (409) with both texts, nothing changed (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id', itemId: 'agenda item id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const item = await prisma.agendaItem.findFirst({ where: { id: String(req.params.itemId), meetingId: m.id } });
    if (!item) throw new PageError(404, 'Punkten finns inte', ['Det finns ingen sådan punkt på mötets föredragningslista.']);
    const form = formOf(req);
    const values = { decision: trimmed(form.decision), actionBy: trimmed(form.actionBy), actionDue: trimmed(form.actionDue), version: trimmed(form.version) };
    const errors: Record<string, string> = {};
    if (!values.decision) errors.decision = 'Skriv beslutet.';
    else if (values.decision.length > 10000) errors.decision = 'Beslutet får vara högst 10 000 tecken.';
    if (values.actionBy.length > 100) errors.actionBy = 'Välj en roll eller person ur listan.';
    if (values.actionDue && !isIsoDate(values.actionDue)) errors.actionDue = 'Ange ett datum, till exempel 2027-04-30.';
    const formKey = `beslut:${item.id}`;
    if (Object.keys(errors).length) return renderMeeting(req, res, m, 400, { form: formKey, values, errors });
    /** Someone else saved the decision since the form was shown: the form again with what is saved now and what this person wrote (kept in the form), nothing changed. */
    const conflict = async (now: { version: number; decision: string | null; actionBy: string | null; actionDue: string | null }) => {
      const followUp = now.actionBy || now.actionDue ? `Återrapporteras av ${now.actionBy ? await ownerText(fid(req), now.actionBy) : 'tjänstepersonen'}${now.actionDue ? ` senast ${svDate(now.actionDue)}` : ''}.` : undefined;
      return renderMeeting(req, res, m, 409, {
        form: formKey,
        // Sent again, the form writes over what is saved now: its version.
        values: { ...values, version: String(now.version) },
        errors: { decision: 'Beslutet har ändrats av någon annan medan du skrev. Jämför texterna och spara igen om ditt beslut ska gälla i stället. Inget har ändrats.' },
        conflict: { decision: now.decision ?? '', ...(followUp ? { followUp } : {}) },
      });
    };
    // A form from before versions (or tampered with) names none: shown again against what is saved now.
    if (!/^\d{1,9}$/.test(values.version)) return conflict({ version: item.version, decision: item.decision, actionBy: item.actionBy, actionDue: item.actionDue ? isoDay(item.actionDue) : null });
    let stale: DecisionConflict | undefined;
    const a = await answered(req, res, m, async () => {
      try {
        return await recordDecisionFor(deps, m.id, item.id, { decision: values.decision, actionBy: values.actionBy || null, actionDue: values.actionDue || null, version: Number(values.version) }, actor(req));
      } catch (err) {
        if (!(err instanceof DecisionConflict)) throw err;
        stale = err;
        return null;
      }
    });
    if (stale) return conflict(stale.current);
    if (!a.ok) {
      if (!a.error) return;
      for (const f of a.error.fields) {
        if (f.field === 'decision') errors.decision = /identity number/.test(f.problem) ? 'Beslutet ser ut att innehålla ett personnummer. Ta bort det; Årscykel sparar inga personnummer.' : 'Skriv beslutet.';
        else if (f.field === 'actionBy') errors.actionBy = /required/.test(f.problem) ? 'Välj vem som ska återrapportera till det datumet, eller ta bort datumet.' : 'Välj en roll eller person ur listan.';
        else if (f.field === 'actionDue') errors.actionDue = 'Ange ett datum, till exempel 2027-04-30.';
        else if (f.field === 'itemId') throw new PageError(404, 'Punkten finns inte', ['Det finns ingen sådan punkt på mötets föredragningslista.']);
      }
      if (!Object.keys(errors).length) throw a.error;
      return renderMeeting(req, res, m, 400, { form: formKey, values, errors });
    }
    res.redirect(303, done(m.id, 'beslut-sparat', `punkt-${item.id}`));
  });

  // --- the närvaro, and what the protokoll says of each § besides its decision

  page(r, { method: 'post', path: '/moten/:id/narvaro', summary: "record the närvaro (form fields n:<person key>: beslutande, tjanstgorande:<the ledamot's key>, ersattare or franvarande; ovrig-namn-<n> and ovrig-titel-<n> for others present), as PUT meetings/:id/narvaro; from the meeting's start until the minutes go to justering; errors are shown next to the fields (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const form = formOf(req);
    const roster = await keyedRosterOf(prisma, m.forbundId, meetingDate(m));
    const values: Record<string, string> = {};
    const errors: Record<string, string> = {};
    const input: NarvaroInput = { beslutande: [], tjanstgorande: [], ersattare: [], others: [] };
    /** Which form field each entry of the input came from, to put the workflow's answer next to it. */
    const from = { beslutande: [] as string[], tjanstgorande: [] as string[], ersattare: [] as string[], others: [] as number[] };
    for (const x of roster) {
      const name = `n:${x.key}`;
      const v = trimmed(form[name]) || 'franvarande';
      values[name] = v;
      if (!narvaroChoices(roster, x).some((o) => o.value === v)) errors[name] = 'Välj ett av alternativen.';
      else if (v === 'beslutande') (input.beslutande.push(x.key), from.beslutande.push(name));
      else if (v === 'ersattare') (input.ersattare.push(x.key), from.ersattare.push(name));
      else if (v.startsWith('tjanstgorande:')) (input.tjanstgorande.push({ person: x.key, for: v.slice('tjanstgorande:'.length) }), from.tjanstgorande.push(name));
    }
    for (let k = 0; k < MAX_ROWS; k++) {
      const [nameField, titleField] = [`ovrig-namn-${k}`, `ovrig-titel-${k}`];
      if (form[nameField] === undefined && form[titleField] === undefined) continue;
      const [name, title] = [trimmed(form[nameField]), trimmed(form[titleField])];
      Object.assign(values, { [nameField]: name, [titleField]: title });
      if (!name && !title) continue;
      if (!name) errors[nameField] = 'Skriv namnet.';
      else if (name.length > 200) errors[nameField] = 'Namnet får vara högst 200 tecken.';
      if (!title) errors[titleField] = 'Skriv titeln, som den ska stå i protokollet.';
      else if (title.length > 200) errors[titleField] = 'Titeln får vara högst 200 tecken.';
      if (name && title) (input.others.push({ name, title }), from.others.push(k));
    }
    if (Object.keys(errors).length) return renderMeeting(req, res, m, 400, { form: 'narvaro', values, errors });
    const a = await answered(req, res, m, () => recordNarvaroFor(deps, m.id, input, actor(req)));
    if (!a.ok) {
      if (!a.error) return;
      for (const f of a.error.fields) {
        const x = /^(beslutande|tjanstgorande|ersattare|others)\[(\d+)\](?:\.(\w+))?$/.exec(f.field);
        if (!x) continue;
        const n = Number(x[2]);
        const field = x[1] === 'others' ? `ovrig-${x[3] === 'title' ? 'titel' : 'namn'}-${from.others[n]}` : from[x[1] as 'beslutande' | 'tjanstgorande' | 'ersattare'][n];
        if (field) errors[field] ??= recordProblemSv(f.problem);
      }
      if (!Object.keys(errors).length) throw a.error;
      return renderMeeting(req, res, m, 400, { form: 'narvaro', values, errors });
    }
    res.redirect(303, done(m.id, 'narvaro-sparad', 'narvaro'));
  });

  page(r, { method: 'post', path: '/moten/:id/punkter/:itemId/paragraf', summary: "record what the protokoll says of a § besides its decision (form fields jav:<person key>, franvarande:<person key>, res-person-<n> and res-text-<n>, ant-person-<n> and ant-text-<n>, rost:<person key> = ja, nej or avstar, resultat), as PUT meetings/:id/items/:itemId/record; after the närvaro, until the minutes go to justering; errors are shown next to the fields (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id', itemId: 'agenda item id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const item = await prisma.agendaItem.findFirst({ where: { id: String(req.params.itemId), meetingId: m.id } });
    if (!item) throw new PageError(404, 'Punkten finns inte', ['Det finns ingen sådan punkt på mötets föredragningslista.']);
    const formKey = `paragraf:${item.id}`;
    const form = formOf(req);
    const roster = await keyedRosterOf(prisma, m.forbundId, meetingDate(m));
    const narvaro = (m.narvaro as Narvaro | null) ?? null;
    const keys = (narvaro?.board ?? []).map((p) => roster.find((x) => x.personId === p.personId)?.key).filter((k): k is string => !!k);
    const values: Record<string, string> = {};
    const errors: Record<string, string> = {};
    const input: ParagraphRecordInput = { jav: [], franvarande: [], reservations: [], notes: [] };
    const from = { jav: [] as string[], franvarande: [] as string[], reservations: [] as number[], notes: [] as number[], yes: [] as string[], no: [] as string[], abstain: [] as string[] };
    for (const reason of ['jav', 'franvarande'] as const) {
      for (const key of keys) {
        if (!form[`${reason}:${key}`]) continue;
        values[`${reason}:${key}`] = '1';
        input[reason]!.push(key);
        from[reason].push(`${reason}:${key}`);
      }
    }
    for (const [what, list] of [['res', 'reservations'], ['ant', 'notes']] as const) {
      for (let k = 0; k < MAX_ROWS; k++) {
        const [pf, tf] = [`${what}-person-${k}`, `${what}-text-${k}`];
        if (form[pf] === undefined && form[tf] === undefined) continue;
        const [person, text] = [trimmed(form[pf]), trimmed(form[tf])];
        Object.assign(values, { [pf]: person, [tf]: text });
        if (!person && !text) continue;
        if (!person) errors[pf] = what === 'res' ? 'Välj vem som reserverar sig.' : 'Välj vem anteckningen är från.';
        else if (!keys.includes(person)) errors[pf] = 'Välj en av de närvarande.';
        if (text.length > 10000) errors[tf] = 'Texten får vara högst 10 000 tecken.';
        else if (what === 'ant' && !text) errors[tf] = 'Skriv anteckningen.';
        if (errors[pf] || errors[tf]) continue;
        if (what === 'res') input.reservations!.push({ person, ...(text ? { text } : {}) });
        else input.notes!.push({ person, text });
        from[list].push(k);
      }
    }
    const vote = { yes: [] as string[], no: [] as string[], abstain: [] as string[] };
    for (const key of keys) {
      const v = trimmed(form[`rost:${key}`]);
      if (!v) continue;
      values[`rost:${key}`] = v;
      const side = v === 'ja' ? 'yes' : v === 'nej' ? 'no' : v === 'avstar' ? 'abstain' : undefined;
      if (!side) errors[`rost:${key}`] = 'Välj ja, nej eller avstår.';
      else (vote[side].push(key), from[side].push(`rost:${key}`));
    }
    const result = trimmed(form.resultat);
    values.resultat = result;
    if (result.length > 1000) errors.resultat = 'Resultatet får vara högst 1 000 tecken.';
    const voted = vote.yes.length + vote.no.length + vote.abstain.length > 0;
    if (voted && !result) errors.resultat = 'Skriv resultatet som ordföranden förklarade det.';
    if (!voted && result) errors.resultat = 'Ange hur de beslutande röstade, eller ta bort resultatet.';
    if (voted && result) input.vote = { ...vote, result };
    if (!narvaro) errors.form = 'För in närvaron först: den avgör vem som kan vara jävig, reservera sig och rösta.';
    if (Object.keys(errors).length) return renderMeeting(req, res, m, 400, { form: formKey, values, errors });
    const a = await answered(req, res, m, () => recordParagraphFor(deps, m.id, item.id, input, actor(req)));
    if (!a.ok) {
      if (!a.error) return;
      for (const f of a.error.fields) {
        const x = /^(jav|franvarande|reservations|notes|vote\.yes|vote\.no|vote\.abstain)\[(\d+)\](?:\.(\w+))?$/.exec(f.field);
        const n = Number(x?.[2]);
        const field = !x
          ? f.field === 'vote.result' || f.field === 'vote' ? 'resultat' : 'form'
          : x[1] === 'reservations' ? `res-${x[3] === 'text' ? 'text' : 'person'}-${from.reservations[n]}`
          : x[1] === 'notes' ? `ant-${x[3] === 'text' ? 'text' : 'person'}-${from.notes[n]}`
          : x[1].startsWith('vote.') ? from[x[1].slice(5) as 'yes' | 'no' | 'abstain'][n]
          : from[x[1] as 'jav' | 'franvarande'][n];
        if (f.field === 'itemId') throw new PageError(404, 'Punkten finns inte', ['Det finns ingen sådan punkt på mötets föredragningslista.']);
        if (field) errors[field] ??= recordProblemSv(f.problem);
      }
      if (!Object.keys(errors).length) throw a.error;
      return renderMeeting(req, res, m, 400, { form: formKey, values, errors });
    }
    res.redirect(303, done(m.id, 'paragraf-sparad', `punkt-${item.id}`));
  });

  // --- the minutes to the justerare, and the justering

  page(r, { method: 'post', path: '/moten/:id/protokoll', summary: "send the minutes to the justerare (form field justerare: a person key), as POST meetings/:id/minutes; every matter needs its decision (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const form = formOf(req);
    const values = { justerare: trimmed(form.justerare), justerare2: trimmed(form.justerare2), plats: trimmed(form.plats) };
    const errors: Record<string, string> = {};
    if (!values.justerare || values.justerare.length > 100) errors.justerare = 'Välj vem som justerar protokollet.';
    if (values.justerare2 && values.justerare2 === values.justerare) errors.justerare2 = 'Välj en annan person än den första justeraren, eller ingen.';
    if (values.plats.length > 200) errors.plats = 'Skriv platsen med högst 200 tecken.';
    if (Object.keys(errors).length) return renderMeeting(req, res, m, 400, { form: 'protokoll', values, errors });
    const a = await answered(req, res, m, () => sendMinutesFor(deps, m.id, { justerare: values.justerare, justerare2: values.justerare2 || null, justeringPlace: values.plats || null }, actor(req)));
    if (!a.ok) {
      if (!a.error) return;
      const errors: Record<string, string> = {};
      const items = await agendaOf(prisma, m.id);
      const missing = a.error.fields
        .map((f) => /^items\[(\d+)\]$/.exec(f.field))
        .filter((x): x is RegExpExecArray => !!x)
        .map((x) => items.find((i) => i.number === Number(x[1])))
        .filter((i) => !!i)
        .map((i) => `${i.paragraph !== null ? `§ ${i.paragraph}` : `punkt ${i.number}`} ${i.title}`);
      if (missing.length) errors.items = `Beslut saknas för ${missing.join(', ')}. För in besluten först.`;
      if (a.error.fields.some((f) => f.field === 'justerare')) errors.justerare = 'Välj en person ur listan.';
      if (!Object.keys(errors).length) throw a.error;
      return renderMeeting(req, res, m, 400, { form: 'protokoll', values, errors });
    }
    res.redirect(303, done(m.id, 'protokoll-skickat', 'protokoll'));
  });

  page(r, { method: 'post', path: '/moten/:id/justering', summary: "register the justering, as POST meetings/:id/justering: the decisions go to the member organisations (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)", params: { id: 'board meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await boardMeeting(req);
    const a = await answered(req, res, m, () => justeraFor(deps, m.id, actor(req)));
    if (!a.ok) {
      if (a.error) throw a.error;
      return;
    }
    res.redirect(303, done(m.id, 'justering-registrerad', 'protokoll'));
  });

  // The diarium and each matter's page (api/admin/arenden.ts).
  matterPages(k, r);
}

