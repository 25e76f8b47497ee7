// The diarium (Ärenden) and one matter's page, for the official and the secretary: every matter
// of the förbund, filtered (state, kind, year, a text in the Dnr or title; GET parameters lage,
// slag, ar, sok) and paged 20 to a page (sida); registering a matter (the official's, as POST
// matters), which says the Dnr it got and, when an open matter has the same title, warns and asks
// to confirm before anything is stored; and a matter's page, where a matter not yet on an agenda
// is marked prepared (the start page's /admin/arenden/:dnr/berett) or put on a coming board
// meeting (as PUT matters/:dnr/meeting). Registered from boardPages (api/admin/styrelse.ts).
//
// The matter's handlingar: listed with their versions on its page and uploaded there (a multipart
// form, as POST matters/:dnr/documents: services/handlingar.ts), each read at
// /admin/handlingar/:id (where /handlingar/:id, the kallelse's link, leads); and a board meeting's
// pack (kallelse and handlingar in one PDF, services/motespaket.ts) at
// /admin/moten/:id/motespaket.pdf.
//
// The registration form's handling is shared with the board meeting's page (registerFromForm).
import { screenField } from '../../domain/fritext.js';
import type { Request, Response, Router } from 'express';
import { MATTER_KIND_NAMES, MATTER_KINDS, MATTER_STATUSES, type MatterKind } from '../../domain/arenden.js';
import { toStockholmDate, toStockholmTime } from '../../domain/dates.js';
import { svDate, svTime } from '../../domain/texts.js';
import { meetingDate } from '../../services/arscykel.js';
import { ownerLabel } from '../../services/people.js';
import { isoDay } from '../../services/rapportering.js';
import { Refusal } from '../../services/refusal.js';
import { fundingViews } from '../../services/beviljning.js';
import { comingBoardMeetings, ownerOptions, type ComingBoardMeeting } from '../../services/styrelse.js';
import { actor } from '../auth.js';
import { HttpError } from '../errors.js';
import { diariumPage, matterPage, MATTER_STATUS_SV, REGISTER_IDS, type DiariumView, type DuplicateView, type MatterPageView, type MatterRowView, type RegisteredView, type RegisterFormView } from '../pages/arenden.js';
import type { FormState, Option } from '../pages/styrelse.js';
import { DuplicateTitleError, MATTER_Q_MAX, matterWhere, registerMatterChecked, setMatterMeetingFor, type MatterFilter } from '../styrelse.js';
import { byWhom, capital, documentErrorAsPage, doneMessages, flashOf, formOf, html, PageError, withDone, type AdminKit } from './kit.js';
import { HANDLING_KINDS, HANDLING_MAX_BYTES, kindOfContentType, svLimit, svSize } from '../../domain/handlingar.js';
import { handlingarOfMatter, handlingWithContent, uploadHandling, UploadRefused } from '../../services/handlingar.js';
import { DocumentStoreUnavailable } from '../../services/document-store.js';
import { meetingPack } from '../../services/motespaket.js';
import { booleanField, sendHandling, tooLarge, TOO_LARGE } from '../handlingar.js';
import { HANDLING_IDS, type HandlingarView } from '../pages/arenden.js';
import { MultipartError, multipartOf } from './multipart.js';

doneMessages({
  'handling-uppladdad': 'Handlingen är uppladdad och sparad med ärendet.',
  'arende-mote': 'Mötet är valt. Ärendet tas upp där om det är berett när föredragningslistan stängs för ärenden; annars flyttas det till nästa sammanträde och den ansvarige får veta det.',
});


/** Matters per page of the diarium, as the start page's steps. */
export const MATTERS_PER_PAGE = 20;

const LATER = ' Arbetsflödet får veta det så snart det går att nå; ärendet är sparat.';
const IDENTITY_NUMBER_SV = 'Rubriken ser ut att innehålla ett personnummer. Ta bort det; Årscykel sparar inga personnummer.';
const trimmed = (v: string | undefined) => (v ?? '').trim();
const matterHref = (dnr: string) => `/admin/arenden/${encodeURIComponent(dnr)}`;
const meetingText = (m: { title: string; startsAt: Date }) => `${m.title} ${svDate(meetingDate(m))}`;
const closesText = (iso: string) => `${svDate(toStockholmDate(new Date(iso)))} kl. ${svTime(toStockholmTime(new Date(iso)))}`;

/** A coming board meeting as a choice: 'Styrelsemöte 27 februari 2037 (ärenden senast 13 februari 2037 kl. 17.00)'. */
export const meetingOption = (c: ComingBoardMeeting): Option => ({ value: c.id, text: `${c.title} ${svDate(c.date)} (ärenden senast ${closesText(c.agendaClosesAt)})` });

/** The matter registered, or the form sent back: 400 with each problem next to its field, 409 with the open matter of the same title. */
export type RegisterAnswer =
  | { ok: true; dnr: string; later: boolean }
  | { ok: false; status: 400 | 409; values: Record<string, string>; errors: Record<string, string>; duplicate?: DuplicateView };

/**
 * A registration form posted (fields title, kind, owner, and on the diarium meeting; bekrafta=1 after
 * the warning of an open matter with the same title), as POST matters: checked, and registered or
 * sent back. On a meeting's page (`meetingId`) a meeting whose kallelse has gone is a 409 page.
 */
export async function registerFromForm(k: AdminKit, req: Request, o: { action: string; meetingId?: string; meetings?: ComingBoardMeeting[] }): Promise<RegisterAnswer> {
  const form = formOf(req);
  const values: Record<string, string> = { title: trimmed(form.title), kind: trimmed(form.kind), owner: trimmed(form.owner), ...(o.meetingId ? {} : { meeting: trimmed(form.meeting) }) };
  const errors: Record<string, string> = {};
  if (!values.title) errors.title = 'Skriv ärendets rubrik.';
  else if (values.title.length > 300) errors.title = 'Rubriken får vara högst 300 tecken.';
  else if (screenField('title', values.title)) errors.title = screenField('title', values.title)!.sv;
  if (!(MATTER_KINDS as readonly string[]).includes(values.kind)) errors.kind = 'Välj vilket slag av ärende det är.';
  if (!values.owner) errors.owner = 'Välj vem som är ansvarig för ärendet.';
  else if (values.owner.length > 100) errors.owner = 'Välj en ansvarig ur listan.';
  if (values.meeting && !(o.meetings ?? []).some((m) => m.id === values.meeting)) errors.meeting = 'Välj ett av de kommande styrelsemötena i listan.';
  // A funding application's project, year and amount (the diarium's form): checked by the same rule as the API's funding.
  const fundingProject = trimmed(form.fundingProject);
  if (fundingProject || trimmed(form.fundingYear) || trimmed(form.fundingAmount)) Object.assign(values, { fundingProject, fundingYear: trimmed(form.fundingYear), fundingAmount: trimmed(form.fundingAmount).replace(/[\s\u00a0]/g, '') });
  let funding: { projectKey: string; year: number; amount: number } | undefined;
  if (values.fundingProject !== undefined) {
    if (values.kind !== 'funding_application') errors.fundingProject = 'Insats, år och belopp anges bara för en ansökan om medel.';
    else if (!fundingProject) errors.fundingProject = 'Välj vilken insats ansökan gäller.';
    else if (!/^\d{4}$/.test(values.fundingYear)) errors.fundingYear = 'Skriv året som fyra siffror, till exempel 2027.';
    else if (!/^\d{1,10}$/.test(values.fundingAmount) || Number(values.fundingAmount) < 1) errors.fundingAmount = 'Skriv beloppet i hela kronor, till exempel 400000.';
    else funding = { projectKey: fundingProject, year: Number(values.fundingYear), amount: Number(values.fundingAmount) };
  }
  if (Object.keys(errors).length) return { ok: false, status: 400, values, errors };
  const meeting = o.meetingId ?? (values.meeting || undefined);
  try {
    const x = await registerMatterChecked(k.deps, k.fid(req), { title: values.title, kind: values.kind as MatterKind, owner: values.owner, ...(meeting ? { meeting } : {}), ...(funding ? { funding } : {}), ...(form.bekrafta === '1' ? { confirmDuplicate: true } : {}) }, actor(req));
    return { ok: true, dnr: x.matter.dnr, later: !x.workflowNotified };
  } catch (err) {
    if (err instanceof DuplicateTitleError) {
      const d = err.other;
      return { ok: false, status: 409, values, errors: {}, duplicate: { dnr: d.dnr, href: matterHref(d.dnr), title: d.title, status: MATTER_STATUS_SV[d.status] ?? d.status, confirm: { action: o.action, values } } };
    }
    if (!(err instanceof HttpError) || err.status !== 400) throw err;
    for (const f of err.fields) {
      if (f.field === 'title') errors.title = IDENTITY_NUMBER_SV;
      else if (f.field === 'owner') errors.owner = 'Välj en ansvarig ur listan.';
      else if (f.field === 'funding.projectKey') errors.fundingProject = 'Välj en av förbundets insatser.';
      else if (f.field === 'funding.year') errors.fundingYear = 'Året ska ligga inom insatsens period.';
      else if (f.field.startsWith('funding')) errors.fundingAmount = 'Beloppet eller budgetraden går inte att använda: skriv beloppet i hela kronor.';
      else if (f.field === 'meeting') {
        if (o.meetingId) throw new PageError(409, 'Det går inte längre', ['Kallelsen till mötet har redan gått ut, så ärendet kan inte registreras till det. Inget har ändrats.']);
        errors.meeting = 'Välj ett av de kommande styrelsemötena i listan.';
      }
    }
    if (!Object.keys(errors).length) throw err;
    return { ok: false, status: 400, values, errors };
  }
}

/** Where to go after registering: `path` with ?registrerat=<Dnr> (and &vantar=1 when the workflow is told later), opened at `hash`. */
export const registeredTarget = (path: string, dnr: string, later: boolean, hash: string) => `${path}?${new URLSearchParams({ registrerat: dnr, ...(later ? { vantar: '1' } : {}) })}#${hash}`;

/** The banner after registering (?registrerat=<Dnr>): the Dnr the matter got, linked, and what happens next; none for a Dnr the förbund does not have. */
export async function registeredView(k: AdminKit, req: Request): Promise<RegisteredView | undefined> {
  const dnr = typeof req.query.registrerat === 'string' ? req.query.registrerat : '';
  if (!/^\d{4}-\d{5}$/.test(dnr)) return undefined;
  const x = await k.prisma.matter.findUnique({ where: { forbundId_dnr: { forbundId: k.fid(req), dnr } }, include: { meeting: true } });
  if (!x) return undefined;
  const closes = x.meetingId ? (await comingBoardMeetings(k.prisma, x.forbundId, k.deps.now())).find((c) => c.id === x.meetingId)?.agendaClosesAt : undefined;
  const more = x.meeting
    ? `Det går till ${meetingText(x.meeting).replace(/^./, (c) => c.toLowerCase())}. Det ska beredas och markeras som berett${closes ? ` senast ${closesText(closes)}` : ' innan föredragningslistan stängs'}; annars flyttas det till nästa sammanträde och den ansvarige får veta det.`
    : 'Inget styrelsemöte har en öppen föredragningslista just nu, så ärendet står under Att göra tills ett möte är valt på ärendets sida.';
  return { dnr, href: matterHref(dnr), more: more + (req.query.vantar === '1' ? LATER : '') };
}

export function matterPages(k: AdminKit, r: Router): void {
  const { deps, prisma, page, fid, isAdmin, onlyOfficial, chrome } = k;

  /** Owner labels (name and Swedish title), each looked up once per page. */
  function ownerLabels(forbundId: string) {
    const seen = new Map<string, Promise<string>>();
    return (owner: string) => {
      if (!seen.has(owner)) seen.set(owner, ownerLabel(prisma, forbundId, owner).then((l) => l ?? 'Ingen (personen finns inte längre i förbundet)'));
      return seen.get(owner)!;
    };
  }

  // --- the diarium

  async function renderDiarium(req: Request, res: Response, status = 200, sent?: { values: Record<string, string>; errors: Record<string, string>; duplicate?: DuplicateView }) {
    const forbundId = fid(req);
    const q = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');
    const values = { lage: q('lage').trim(), slag: q('slag').trim(), ar: q('ar').trim(), sok: q('sok').trim() };
    const errors: DiariumView['errors'] = {};
    for (const name of ['lage', 'slag', 'ar', 'sok', 'sida']) if (Array.isArray(req.query[name])) errors.sida = 'Adressen har samma filter flera gånger. Välj filtret i formuläret igen.';
    if (values.lage && !(MATTER_STATUSES as readonly string[]).includes(values.lage)) errors.lage = 'Välj ett läge i listan.';
    if (values.slag && !(MATTER_KINDS as readonly string[]).includes(values.slag)) errors.slag = 'Välj ett slag i listan.';
    if (values.ar && !(/^\d{4}$/.test(values.ar) && Number(values.ar) >= 2000 && Number(values.ar) <= 2100)) errors.ar = 'Välj ett år i listan.';
    if (values.sok.length > MATTER_Q_MAX) errors.sok = `Skriv högst ${MATTER_Q_MAX} tecken.`;
    const bad = Object.keys(errors).length > 0;

    const [c, yearRows, coming, owners, registered, projects] = await Promise.all([
      chrome(req, res, 'matters'),
      prisma.matter.findMany({ where: { forbundId }, distinct: ['year'], select: { year: true }, orderBy: { year: 'desc' } }),
      isAdmin(req) ? comingBoardMeetings(prisma, forbundId, deps.now()) : Promise.resolve([]),
      isAdmin(req) ? ownerOptions(prisma, forbundId) : Promise.resolve([]),
      registeredView(k, req),
      isAdmin(req) ? prisma.project.findMany({ where: { forbundId, status: 'active' }, select: { key: true, name: true }, orderBy: { name: 'asc' } }) : Promise.resolve([]),
    ]);
    const years = yearRows.map((y) => String(y.year));
    if (values.ar && !errors.ar && !years.includes(values.ar)) years.unshift(values.ar);

    const filter: MatterFilter = bad
      ? {}
      : { ...(values.lage ? { status: values.lage as MatterFilter['status'] } : {}), ...(values.slag ? { kind: values.slag as MatterFilter['kind'] } : {}), ...(values.ar ? { year: Number(values.ar) } : {}), ...(values.sok ? { q: values.sok } : {}) };
    const where = matterWhere(forbundId, filter);
    const total = bad ? 0 : await prisma.matter.count({ where });
    const pages = Math.max(1, Math.ceil(total / MATTERS_PER_PAGE));
    const asked = /^\d{1,4}$/.test(q('sida')) ? Number(q('sida')) : 1;
    const current = Math.min(Math.max(1, asked), pages);
    const rows = bad ? [] : await prisma.matter.findMany({ where, include: { meeting: true }, orderBy: [{ year: 'desc' }, { number: 'desc' }], skip: (current - 1) * MATTERS_PER_PAGE, take: MATTERS_PER_PAGE });
    const label = ownerLabels(forbundId);
    const rowViews: MatterRowView[] = await Promise.all(
      rows.map(async (x) => ({
        dnr: x.dnr,
        href: matterHref(x.dnr),
        title: x.title,
        kind: MATTER_KIND_NAMES[x.kind as MatterKind] ?? x.kind,
        owner: await label(x.owner),
        status: capital(MATTER_STATUS_SV[x.status] ?? x.status),
        ...(x.meeting ? { meeting: { text: meetingText(x.meeting), href: `/admin/moten/${x.meeting.id}` } } : {}),
        ...(!x.meetingId && (x.status === 'registered' || x.status === 'prepared') ? { noMeeting: true } : {}),
      })),
    );
    const filterQuery = new URLSearchParams(Object.entries(values).filter(([, v]) => v));
    const pageLink = (n: number) => `/admin/arenden?${new URLSearchParams([...filterQuery, ...(n > 1 ? [['sida', String(n)] as [string, string]] : [])])}#lista`.replace('?#', '#');
    const from = (current - 1) * MATTERS_PER_PAGE;

    const register: RegisterFormView | undefined = isAdmin(req)
      ? {
          action: '/admin/arenden',
          state: sent ? { values: sent.values, errors: sent.errors, open: true } : { values: { title: '', kind: '', owner: '', meeting: '' }, errors: {} },
          kinds: MATTER_KINDS.map((x) => ({ value: x, text: MATTER_KIND_NAMES[x] })),
          owners,
          meetings: coming.map(meetingOption),
          projects: projects.map((p) => ({ value: p.key, text: p.name })),
          hint: 'Ärendet får årets nästa diarienummer och går till beredningen. Det ska markeras som berett innan föredragningslistan stängs för ärenden; annars flyttas det till nästa sammanträde och den ansvarige får veta det per e-post. Inga personnummer.',
          ...(sent?.duplicate ? { duplicate: sent.duplicate } : {}),
        }
      : undefined;
    const view: DiariumView = {
      chrome: c,
      values,
      errors,
      statuses: MATTER_STATUSES.map((s) => ({ value: s, text: capital(MATTER_STATUS_SV[s]) })),
      kinds: MATTER_KINDS.map((x) => ({ value: x, text: MATTER_KIND_NAMES[x] })),
      years: years.map((y) => ({ value: y, text: y })),
      filtered: Object.values(values).some(Boolean),
      rows: rowViews,
      total,
      paging: { page: current, pages, from: from + 1, to: from + rowViews.length, ...(current > 1 ? { prev: pageLink(current - 1) } : {}), ...(current < pages ? { next: pageLink(current + 1) } : {}) },
      ...(registered ? { registered } : {}),
      ...(flashOf(req) ? { flash: flashOf(req) } : {}),
      ...(register ? { register } : {}),
      ...(sent && Object.keys(sent.errors).length ? { formErrors: Object.entries(sent.errors).map(([f, text]) => ({ href: `#${REGISTER_IDS[f] ?? REGISTER_IDS.title}`, text })) } : {}),
    };
    html(res, bad ? 400 : status, diariumPage(view));
  }

  page(r, { method: 'get', path: '/arenden', summary: "the diarium: every matter of the förbund with Dnr, title, kind, owner (name and title), state and meeting, newest first, 20 to a page (sida); filtered by state (lage), kind (slag), year (ar) and a text in the Dnr or title (sok), a wrong value a 400 page naming the field; the official's form to register a matter (Swedish HTML page; signed in with a session cookie as admin or secretary)", response: { contentType: 'text/html' } }, async (req, res) => renderDiarium(req, res));

  page(r, { method: 'post', path: '/arenden', summary: 'register a matter (form fields title, kind, owner, meeting: a coming board meeting or empty for the next one; bekrafta=1 to register it although an open matter has the same title), as POST matters; the official only; errors are shown next to the fields, an open matter with the same title as a warning (409) with "Registrera ändå", and nothing is stored (HTML form POST from this site; answers with a redirect to the diarium saying the Dnr)', response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'registrera ett ärende');
    const a = await registerFromForm(k, req, { action: '/admin/arenden', meetings: await comingBoardMeetings(prisma, fid(req), deps.now()) });
    if (!a.ok) return renderDiarium(req, res, a.status, a);
    res.redirect(303, registeredTarget('/admin/arenden', a.dnr, a.later, 'registrerat'));
  });

  // --- one matter

  async function matterOf(req: Request) {
    const x = await prisma.matter.findUnique({ where: { forbundId_dnr: { forbundId: fid(req), dnr: String(req.params.dnr) } }, include: { meeting: true, agendaItems: { include: { meeting: true } } } });
    if (!x) throw new PageError(404, 'Ärendet finns inte', ['Det finns inget ärende med det diarienumret i förbundet.']);
    return x;
  }

  async function renderMatter(req: Request, res: Response, status = 200, sent?: FormState, upload?: FormState) {
    const x = await matterOf(req);
    const forbundId = fid(req);
    const [c, owner, coming, registered, groups, funding] = await Promise.all([chrome(req, res, 'matters'), ownerLabels(forbundId)(x.owner), comingBoardMeetings(prisma, forbundId, deps.now()), registeredView(k, req), handlingarOfMatter(prisma, forbundId, x.dnr), fundingViews(prisma, forbundId, [x])]);
    const open = x.status === 'registered' || x.status === 'prepared';
    const current = x.meetingId ? coming.find((m) => m.id === x.meetingId) : undefined;
    const others = coming.filter((m) => m.id !== x.meetingId);
    const facts: [string, string][] = [
      ['Dnr', x.dnr],
      ['Slag', MATTER_KIND_NAMES[x.kind as MatterKind] ?? x.kind],
      ['Ansvarig', owner],
      ['Läge', capital(MATTER_STATUS_SV[x.status] ?? x.status)],
      ['Registrerat', svDate(toStockholmDate(x.createdAt))],
      ['Bereds av', x.preparingBody === 'presidium' ? 'Presidiet' : 'Beredningsgruppen'],
      // "Ansökan: Steg framåt 2027, 400 000 kr, ur budgetraden Insatser"
      ...(funding.get(x.id) ? ([['Ansökan', funding.get(x.id)!.text.replace(/^Ansökan: /, '')]] as [string, string][]) : []),
      ...(x.preparedAt ? ([['Berett', svDate(toStockholmDate(x.preparedAt))]] as [string, string][]) : []),
      ...(x.closedAt ? ([['Avslutat', svDate(toStockholmDate(x.closedAt))]] as [string, string][]) : []),
    ];
    const link = x.meeting ? { href: `/admin/moten/${x.meeting.id}`, text: meetingText(x.meeting) } : undefined;
    const meeting: MatterPageView['meeting'] = !open
      ? { text: x.status === 'on_agenda' ? 'Ärendet står på föredragningslistan till' : x.meeting ? 'Ärendet togs upp på' : 'Ärendet har inget styrelsemöte.', ...(link ? { link } : {}) }
      : x.meeting
        ? {
            text: 'Ärendet ska till',
            ...(link ? { link } : {}),
            note:
              x.status === 'registered'
                ? `Det ska markeras som berett${current ? ` senast ${closesText(current.agendaClosesAt)}` : ' innan föredragningslistan stängs'}; annars flyttas det till nästa sammanträde och den ansvarige får veta det.`
                : `Det är berett och kommer på föredragningslistan när den stängs för ärenden${current ? ` ${closesText(current.agendaClosesAt)}` : ''}.`,
          }
        : {
            text: 'Ärendet har inget styrelsemöte att tas upp på: det flyttades vidare, eller registrerades, när inget kommande möte hade en öppen föredragningslista.',
            warn: true,
            ...(others.length ? {} : { note: 'Inget kommande styrelsemöte har en öppen föredragningslista just nu. När nästa möte är planerat väljer du det här; till dess står ärendet under Att göra.' }),
          };
    if (x.status === 'registered') meeting.prepare = { action: `${matterHref(x.dnr)}/berett`, back: `${matterHref(x.dnr)}#mote` };
    if (open && others.length) {
      meeting.choose = {
        action: `${matterHref(x.dnr)}/mote`,
        state: sent ?? { values: { meeting: '' }, errors: {} },
        options: others.map(meetingOption),
        button: x.meeting ? 'Flytta ärendet till mötet' : 'Sätt ärendet på mötet',
        hint: x.meeting ? 'Ärendet kan flyttas till ett annat kommande styrelsemöte vars föredragningslista är öppen för ärenden.' : 'De kommande styrelsemöten vars föredragningslista är öppen för ärenden.',
      };
    }
    const handling = [...x.agendaItems]
      .sort((a, b) => a.meeting.startsAt.getTime() - b.meeting.startsAt.getTime())
      .map(
        (i) =>
          `${meetingText(i.meeting)}, ${i.paragraph !== null ? `§ ${i.paragraph}` : `punkt ${i.number}`}: ${i.decision ? `Beslut: ${i.decision}` : 'inget beslut infört än.'}` +
          (i.actionDue ? ` Återrapporteras senast ${svDate(isoDay(i.actionDue))}.` : '') +
          (i.reportedBack ? ` Återrapporterat: ${i.reportedBack}` : ''),
      );
    const when = (d: Date) => `${svDate(toStockholmDate(d))} kl. ${svTime(toStockholmTime(d))}`;
    const handlingar: HandlingarView = {
      items: groups.map((g) => ({
        title: g.latest.title,
        secret: g.latest.secret,
        versions: g.versions.map((v) => {
          const kind = kindOfContentType(v.contentType);
          return { version: v.version, typeSize: `${kind ? HANDLING_KINDS[kind].sv : v.contentType}, ${svSize(v.size)}${!v.secret && g.latest.secret ? ', utan sekretess' : ''}`, uploaded: when(v.uploadedAt), by: byWhom(v.uploadedBy).trim(), fileName: v.fileName, href: `/admin/handlingar/${v.id}` };
        }),
      })),
      upload: {
        action: `${matterHref(x.dnr)}/handlingar`,
        state: upload ?? { values: { title: '', key: '', secret: '' }, errors: {} },
        versionOf: groups.map((g) => ({ value: g.key, text: `${g.latest.title} (version ${g.latest.version})` })),
        limit: svLimit(HANDLING_MAX_BYTES),
      },
    };
    const uploadErrors = upload ? Object.entries(upload.errors).map(([f, text]) => ({ href: `#${HANDLING_IDS[f] ?? HANDLING_IDS.file}`, text })) : [];
    const flash = flashOf(req);
    html(
      res,
      status,
      matterPage({
        chrome: c,
        dnr: x.dnr,
        title: x.title,
        facts,
        ...(x.description ? { description: x.description } : {}),
        documents: (x.documents as { title: string; url: string }[] | null) ?? [],
        handlingar,
        ...(flash ? { flash } : {}),
        ...(registered ? { registered } : {}),
        ...(sent && Object.keys(sent.errors).length ? { errors: Object.values(sent.errors).map((text) => ({ href: '#mote-val', text })) } : uploadErrors.length ? { errors: uploadErrors } : {}),
        meeting,
        handling,
      }),
    );
  }

  page(r, { method: 'get', path: '/arenden/:dnr', summary: "one matter: its Dnr, kind, owner, state and handling in the board; its meeting, and while it is not yet on an agenda, marking it prepared and choosing a coming board meeting (Swedish HTML page; signed in with a session cookie as admin or secretary)", params: { dnr: 'diarienummer, e.g. 2037-00012' }, response: { contentType: 'text/html' } }, async (req, res) => renderMatter(req, res));

  page(r, { method: 'post', path: '/arenden/:dnr/mote', summary: 'put a matter not yet on an agenda on a coming board meeting (form field meeting), as PUT matters/:dnr/meeting; errors are shown next to the field (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { dnr: 'diarienummer' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const x = await matterOf(req);
    const meeting = trimmed(formOf(req).meeting);
    const sendBack = (text: string) => renderMatter(req, res, 400, { values: { meeting }, errors: { meeting: text }, open: true });
    if (!meeting || meeting.length > 100) return sendBack('Välj ett styrelsemöte.');
    try {
      const a = await setMatterMeetingFor(deps, fid(req), x.dnr, meeting, actor(req));
      res.redirect(303, withDone(`${matterHref(x.dnr)}#mote`, 'arende-mote', { later: !a.workflowNotified }));
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      if (err.status === 400) return sendBack(err.sv);
      throw err;
    }
  });

  // --- the matter's handlingar

  page(r, { method: 'post', path: '/arenden/:dnr/handlingar', summary: `upload a handling to the matter (multipart form: file, title, secret=ja for sekretess enligt OSL, key for a new version of a handling), as POST matters/:dnr/documents; a PDF, Word or Excel file by its content, at most ${svLimit(HANDLING_MAX_BYTES)}; each problem is shown next to its field (400, 413, 415) and nothing is stored (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)`, params: { dnr: 'diarienummer' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const x = await matterOf(req);
    const sendBack = (status: number, values: Record<string, string>, errors: Record<string, string>) => renderMatter(req, res, status, undefined, { values, errors, open: true });
    const empty = { title: '', key: '', secret: '' };
    if (tooLarge(req)) {
      res.set('Connection', 'close');
      return sendBack(413, empty, { file: TOO_LARGE.sv });
    }
    let form;
    try {
      form = await multipartOf(req, res, HANDLING_MAX_BYTES);
    } catch (err) {
      if (!(err instanceof MultipartError)) throw err;
      return sendBack(err.status, empty, { file: err.status === 413 ? TOO_LARGE.sv : 'Filen kunde inte tas emot. Välj den igen och ladda upp den på nytt.' });
    }
    const values = { title: trimmed(form.fields.title), key: trimmed(form.fields.key), secret: form.fields.secret === 'ja' ? 'ja' : '' };
    const secret = booleanField(form.fields.secret);
    const file = form.files.file;
    try {
      await uploadHandling(prisma, fid(req), x.dnr, { title: values.title, ...(secret ? { secret: true } : {}), ...(values.key ? { key: values.key } : {}), ...(file?.filename || file?.data.length ? { file: { name: file.filename, data: file.data } } : {}) }, actor(req), deps.documents);
    } catch (err) {
      if (err instanceof DocumentStoreUnavailable) {
        res.set('Retry-After', '60');
        return sendBack(503, values, { file: 'Handlingen kunde inte sparas: lagringen för handlingar kan inte nås just nu, så inget har sparats. Försök igen om en stund, eller kontakta administratören om det inte går över.' });
      }
      if (!(err instanceof UploadRefused)) throw err;
      if (err.status === 404) throw new PageError(404, 'Ärendet finns inte', ['Det finns inget ärende med det diarienumret i förbundet.']);
      return sendBack(err.status, values, Object.fromEntries(err.problems.map((p) => [p.field, p.sv])));
    }
    res.redirect(303, withDone(`${matterHref(x.dnr)}#handlingar`, 'handling-uppladdad'));
  });

  page(r, { method: 'get', path: '/handlingar/:id', summary: "one version of a handling, as an attachment with the content type found at upload and a safe file name (never sniffed); where the kallelse's link /handlingar/:id leads; signed in with a session cookie: the official and the secretary read every handling, secret ones too, and so does a ledamot or ersättare of the board (api/admin/mina.ts; each read of a secret one audited); a revisor reads the non-secret handlingar of the årsredovisning and the delårsrapport; anyone else 403", params: { id: 'the version id' }, response: { contentType: 'application/octet-stream' } }, async (req, res) => {
    const row = await handlingWithContent(prisma, fid(req), String(req.params.id));
    if (!row) throw new PageError(404, 'Handlingen finns inte', ['Det finns ingen handling på den här adressen i förbundet. Den kan höra till ett annat förbund än det du är inloggad i.']);
    await sendHandling(res, row, deps.documents).catch((err: unknown) => {
      throw documentErrorAsPage(res, err);
    });
  });

  page(r, { method: 'get', path: '/moten/:id/motespaket.pdf', summary: "a board meeting's pack: the kallelse with the föredragningslista, then each item's PDF handlingar in agenda order (Word and Excel ones named on the item's page), secret ones included for the signed-in staff; as GET meetings/:id/pack.pdf (signed in with a session cookie as admin or secretary)", params: { id: 'board meeting id' }, response: { contentType: 'application/pdf' } }, async (req, res) => {
    const m = await prisma.meeting.findFirst({ where: { id: String(req.params.id), forbundId: fid(req), kind: 'styrelse' } });
    if (!m) throw new PageError(404, 'Mötet finns inte', ['Det finns inget styrelsemöte på den här adressen i förbundet.']);
    const pack = await meetingPack(prisma, m, { baseUrl: deps.publicBaseUrl, includeSecret: true, documents: deps.documents }).catch((err: unknown) => {
      throw documentErrorAsPage(res, err);
    });
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${pack.filename}"`).send(Buffer.from(pack.pdf));
  });
}
