// The year: meetings by body with moving and cancelling, the board meetings' agendas and
// matters, milestones with their state, and adopting next year's calendar.
import { screenField } from '../../domain/fritext.js';
import type { Request, Response, Router } from 'express';
import { daysBetween, toStockholmDate, toStockholmTime, type IsoDate } from '../../domain/dates.js';
import { MEETING_TITLES, type MeetingKind } from '../../domain/kalendarium.js';
import { svDate, svDayDate, svTime, svWhen } from '../../domain/texts.js';
import { meetingDate, meetingTime } from '../../services/arscykel.js';
import { adoptCalendar, cancelMeeting, moveMeeting, MoveNeedsConfirmation, proposedCalendar, setGoLive, yearPlan } from '../../services/kalendarium.js';
import { ownersOf } from '../../services/people.js';
import { FEED_BODIES, FEED_NAMES_SV, renewFeed } from '../../services/lankar.js';
import { feedLink, feedPurpose, generationsOf } from '../../services/links.js';
import { Refusal } from '../../services/refusal.js';
import { agendaOf } from '../../services/styrelse.js';
import { actor } from '../auth.js';
import { stageOf } from '../styrelse.js';
import { confirmPage, GO_LIVE_FIELD, messagePage, moveConfirmPage, proposalHtml, yearPage, type ErrorLink, type MeetingView, type MilestoneView, type YearView } from '../pages/admin.js';
import { statutoryPages, statutorySection, type StatutoryFormError } from './redovisning.js';
import { byWhom, capital, doneAt, doneMessages, flashOf, formOf, html, keepTime, PageError, WAITING_SV, withDone, yearParam, type AdminKit } from './kit.js';

doneMessages({
  flyttat: 'Mötet är flyttat. Deltagarna får en ändrad kalenderinbjudan.',
  oforandrat: 'Mötet hade redan den tiden och platsen; inget är ändrat.',
  installt: 'Mötet är inställt. Deltagarna får en avbokning.',
  faststalld: 'Sammanträdesplanen är fastställd. Kalenderinbjudningarna går ut till deltagarna.',
  startdatum: 'Datumet då förbundet började i Årscykel är ändrat. Det som skulle ha gjorts före det påminns inte om och eskaleras inte.',
  'startdatum-oforandrat': 'Förbundet hade redan det datumet; inget är ändrat.',
  'ny-flodeslank': 'Kalenderflödet har en ny adress. Den gamla fungerar inte längre: den som prenumererar behöver den nya.',
});

const MATTER_STATUS_SV: Record<string, string> = { registered: 'registrerat', prepared: 'berett', on_agenda: 'på föredragningslistan', decided: 'beslutat', follow_up: 'återrapportering väntar', closed: 'avslutat' };
const STAGE_SV: Record<string, string> = {
  planned: 'Planerat',
  past: 'Har varit',
  'kallelse sent': 'Kallelsen har gått ut',
  held: 'Hållet – protokollet skrivs',
  'minutes at justering': 'Protokollet är hos justeraren',
  justerade: 'Protokollet är justerat',
  'decisions sent': 'Besluten är skickade till medlemmarna',
  cancelled: 'Inställt',
};
const GROUPS: { id: string; heading: string; kinds: MeetingKind[]; always?: boolean }[] = [
  { id: 'styrelsen', heading: 'Styrelsen', kinds: ['styrelse'], always: true },
  { id: 'presidiet', heading: 'Presidiet och beredningen', kinds: ['presidium', 'beredning'] },
  { id: 'beredningsgruppen', heading: 'Beredningsgruppen', kinds: ['beredningsgrupp'] },
  { id: 'planeringsdagar', heading: 'Planeringsdagar', kinds: ['planning_day'] },
];

export function yearPages(k: AdminKit, r: Router): void {
  const { deps, prisma, page, today, thisYear, fid, chrome, isAdmin, onlyOfficial } = k;
  const yearOf = (req: Request) => yearParam(req, '/admin/ar/2026');

  interface MoveError {
    meetingId: string;
    values: { date: string; start: string; end: string; location: string };
    errors: Partial<Record<'date' | 'start' | 'end' | 'location', string>>;
  }

  /** The go-live form sent back: what was typed and what is wrong with it. */
  interface GoLiveError {
    value: string;
    error: string;
  }

  async function renderYear(req: Request, res: Response, year: number, status = 200, moveError?: MoveError, goLiveError?: GoLiveError, statutoryError?: StatutoryFormError) {
    const forbundId = fid(req);
    const now = deps.now();
    const [c, plan, rows, next, forbund, statutory] = await Promise.all([
      chrome(req, res, year === thisYear() ? 'year' : 'other'),
      yearPlan(prisma, forbundId, year),
      prisma.meeting.findMany({ where: { forbundId, year } }),
      prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId, year: year + 1 } } }),
      prisma.forbund.findUnique({ where: { id: forbundId }, select: { goLiveOn: true } }),
      statutorySection(k, req, year, statutoryError),
    ]);
    // "I Årscykel sedan": the go-live, before which nothing is reminded, escalated or registered.
    const goLive = forbund?.goLiveOn ? forbund.goLiveOn.toISOString().slice(0, 10) : undefined;
    const row = new Map(rows.map((m) => [m.id, m]));
    const boardIds = plan.meetings.filter((m) => m.kind === 'styrelse').map((m) => m.id);
    const [agendas, matters] = await Promise.all([
      Promise.all(boardIds.map(async (id) => [id, await agendaOf(prisma, id)] as const)),
      prisma.matter.findMany({ where: { forbundId, meetingId: { in: boardIds } }, orderBy: [{ year: 'asc' }, { number: 'asc' }] }),
    ]);
    const agenda = new Map(agendas);
    const byKey = new Map(plan.meetings.map((m) => [m.key, m]));
    const headingOf = (m: { title: string; date: IsoDate; kind: string }) => `${m.title || MEETING_TITLES[m.kind as MeetingKind]} ${svDate(m.date)}`;
    // The section's own message (after registering) is shown there, not at the top or on a meeting.
    const moved = doneAt(req) === 'ansvarsfrihet' ? undefined : doneAt(req)?.replace(/^mote-/, '');
    const ownFlash = doneAt(req) === 'ansvarsfrihet';
    const flash = flashOf(req);
    const owners = new Map<string, string>();
    for (const o of new Set(plan.milestones.map((m) => m.owner))) {
      const people = await ownersOf(prisma, forbundId, o);
      owners.set(o, people.length ? `${people.map((p) => p.name).join(', ')}${WAITING_SV[o] ? `, ${WAITING_SV[o]}` : ''}` : WAITING_SV[o] ?? o);
    }
    const milestoneMatters = new Map((await prisma.matter.findMany({ where: { milestoneId: { in: plan.milestones.map((m) => m.id) } }, select: { milestoneId: true, dnr: true } })).map((x) => [x.milestoneId!, x.dnr]));

    const meetingViews: MeetingView[] = plan.meetings.map((m) => {
      const dbRow = row.get(m.id)!;
      const anchor = `mote-${m.id}`;
      const cancelled = m.status === 'cancelled';
      const ended = dbRow.endsAt <= now;
      const state = m.kind === 'styrelse' ? STAGE_SV[stageOf(dbRow, now)] ?? 'Planerat' : cancelled ? 'Inställt' : ended ? 'Har varit' : 'Planerat';
      const p = m.preparation;
      const preparation = p
        ? [p.beredningsgrupp ? `beredningsgruppen ${svDate(p.beredningsgrupp)}` : '', p.beredning ? `beredningen ${svDate(p.beredning)}` : '', `ärenden senast ${svDate(p.matters)}`, `kallelsen senast ${svDate(p.kallelse)}`].filter(Boolean).join(', ')
        : undefined;
      const prepares = m.prepares ? byKey.get(m.prepares) : undefined;
      const canChange = !cancelled && !dbRow.heldAt && !ended;
      const err = moveError?.meetingId === m.id ? moveError : undefined;
      const v: MeetingView = {
        id: m.id,
        anchor,
        heading: headingOf(m),
        whenText: keepTime(svWhen(meetingTime(dbRow))),
        location: m.location,
        state: plan.calendar.adopted || cancelled ? state : `${state} (förslag; planen är inte fastställd)`,
        cancelled,
        ...(prepares ? { prepares: headingOf(prepares) } : {}),
        ...(preparation ? { preparation: capital(preparation) } : {}),
        ...(m.kind === 'styrelse'
          ? {
              href: `/admin/moten/${m.id}`,
              agenda: (agenda.get(m.id) ?? []).map((i) => ({ number: i.number, title: i.title, dnr: i.matter?.dnr ?? null, paragraph: i.paragraph })),
              matters: matters.filter((x) => x.meetingId === m.id).map((x) => ({ dnr: x.dnr, title: x.title, status: MATTER_STATUS_SV[x.status] ?? x.status })),
            }
          : {}),
        ...(canChange
          ? {
              move: {
                action: `/admin/moten/${m.id}/flytta`,
                values: err?.values ?? { date: m.date, start: m.start ?? '', end: m.end ?? '', location: m.location ?? '' },
                errors: err?.errors ?? {},
                open: !!err,
                allDay: m.start === null,
              },
              cancelHref: `/admin/moten/${m.id}/stall-in`,
            }
          : {}),
        ...(moved === m.id && flash ? { flash } : {}),
        // Over, and nothing of its process left to do: shown folded away.
        past: ended && (m.kind !== 'styrelse' || ['past', 'decisions sent', 'cancelled'].includes(stageOf(dbRow, now))),
      };
      return v;
    });
    const kindOf = new Map(plan.meetings.map((m) => [m.id, m.kind as MeetingKind]));
    const groups = GROUPS.map((g) => {
      const all = meetingViews.filter((v) => g.kinds.includes(kindOf.get(v.id)!));
      return { id: g.id, heading: g.heading, always: g.always, meetings: all.filter((v) => !v.past), past: all.filter((v) => v.past) };
    }).filter((g) => g.always || g.meetings.length || g.past.length);
    const day = today();
    const nextAdopted = !!next?.calendarAdoptedAt;
    const milestones: MilestoneView[] = plan.milestones.map((ms) => {
      const done = ms.status === 'done';
      // Due before go-live: open when the förbund started in Årscykel, not overdue work (and no day count from before it).
      const beforeStart = !done && !!goLive && ms.dueDate < goLive;
      const late = !done && !beforeStart && ms.dueDate < day;
      const dnr = milestoneMatters.get(ms.id);
      const handled = ms.meeting ? byKey.get(ms.meeting) : undefined;
      return {
        id: ms.id,
        title: ms.title,
        due: ms.dueDate,
        owner: owners.get(ms.owner) ?? ms.owner,
        state: done ? 'done' : late ? 'late' : 'open',
        stateText: done ? `Klart${ms.doneAt ? ` ${svDate(toStockholmDate(new Date(ms.doneAt)))}` : ''}` : beforeStart ? 'Öppet vid start i Årscykel' : late ? `Försenat ${daysBetween(ms.dueDate, day)} ${daysBetween(ms.dueDate, day) === 1 ? 'dag' : 'dagar'}` : 'Öppet',
        ...(handled ? { meetingText: `Tas upp på ${headingOf(handled).replace(/^./, (x) => x.toLowerCase())}` } : {}),
        ...(!done && !dnr && ms.kind !== 'nextCalendar' ? { doneAction: { action: `/admin/moment/${ms.id}/klart`, back: `/admin/ar/${year}#moment` } } : {}),
        ...(!done && ms.kind === 'nextCalendar' && !nextAdopted ? { note: `Blir klart när planen för ${year + 1} fastställs.`, link: { href: `/admin/ar/${year + 1}/faststall`, text: `Fastställ planen för ${year + 1}` } } : {}),
        ...(!done && dnr ? { note: `Blir klart när styrelsen har beslutat i ärende ${dnr}.` } : {}),
      };
    });
    const boards = plan.meetings.filter((m) => m.kind === 'styrelse' && m.status === 'planned');
    const lastBoard = boards[boards.length - 1];
    // The calendar feeds at their current addresses; the official can renew one ("Byt länk").
    const slugged = { id: forbundId, slug: req.auth!.forbundSlug };
    const generations = await generationsOf(prisma, FEED_BODIES.map((b) => feedPurpose(forbundId, b)));
    const feeds: YearView['feeds'] = {
      items: FEED_BODIES.map((b) => ({
        name: FEED_NAMES_SV[b],
        url: feedLink(deps.publicBaseUrl, deps.linkSecret, slugged, b, generations.get(feedPurpose(forbundId, b))),
        ...(isAdmin(req) ? { renew: { action: `/admin/ar/${year}/kalenderfloden/${b}/byt-lank`, back: `/admin/ar/${year}#kalenderfloden` } } : {}),
      })),
      ...(moved === 'kalenderfloden' && flash ? { flash } : {}),
    };
    const view: YearView = {
      chrome: c,
      year,
      calendar: plan.calendar.adopted
        ? { adopted: true, text: `Sammanträdesplanen för ${year} är fastställd ${svDate(toStockholmDate(new Date(plan.calendar.adoptedAt)))}${byWhom(plan.calendar.adoptedBy)}.` }
        : { adopted: false, ...(plan.meetings.length || year > thisYear() ? { adoptHref: `/admin/ar/${year}/faststall` } : {}) },
      ...(goLive
        ? {
            goLive: {
              date: goLive,
              // The official may change it (a summary-list row with its action); the secretary reads it.
              ...(isAdmin(req) ? { change: { action: `/admin/ar/${year}/i-arscykel-sedan`, value: goLiveError?.value ?? goLive, max: day, ...(goLiveError ? { error: goLiveError.error } : {}), open: !!goLiveError } } : {}),
            },
          }
        : {}),
      groups,
      milestones,
      statutory: statutory.view,
      feeds,
      next: {
        year: year + 1,
        adopted: nextAdopted,
        text: nextAdopted
          ? `Planen för ${year + 1} är fastställd ${svDate(toStockholmDate(next!.calendarAdoptedAt!))}${byWhom(next!.calendarAdoptedBy)}.`
          : `Planen för ${year + 1} är inte fastställd ännu. Styrelsen fastställer den ${lastBoard ? `vid årets sista sammanträde, ${svDate(lastBoard.date)}` : 'vid årets sista sammanträde'}; förslaget bygger på årets möten flyttade till ${year + 1}.`,
        ...(nextAdopted ? {} : { adoptHref: `/admin/ar/${year + 1}/faststall` }),
      },
      flash: moved || ownFlash ? undefined : flash,
      errors: statutoryError
        ? statutory.errors
        : moveError
        ? Object.entries(moveError.errors).map(([f, text]): ErrorLink => ({ href: `#mote-${moveError.meetingId}-${{ date: 'datum', start: 'start', end: 'slut', location: 'plats' }[f]}`, text: text! }))
        : goLiveError
          ? [{ href: `#${GO_LIVE_FIELD}`, text: goLiveError.error }]
          : undefined,
    };
    html(res, status, yearPage(view));
  }

  statutoryPages(k, r, (req, res, year, status, sent) => renderYear(req, res, year, status, undefined, undefined, sent));

  page(r, { method: 'get', path: '/ar/:year', summary: 'the year: meetings by body with moving and cancelling, the board meetings\' agendas and matters, milestones, the årsredovisning of the year before and the delårsrapport with each member\'s decision on ansvarsfrihet (the official registers the revisionsberättelse and a member\'s decision), next year\'s calendar (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { year: 'calendar year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => renderYear(req, res, yearOf(req)));

  const meetingRow = async (req: Request) => {
    const m = await prisma.meeting.findFirst({ where: { id: String(req.params.id), forbundId: fid(req) } });
    if (!m) throw new PageError(404, 'Mötet finns inte', ['Det finns inget sådant möte i förbundet.']);
    return m;
  };

  page(r, { method: 'post', path: '/moten/:id/flytta', summary: 'move a meeting (form fields date, start, end, location), as PATCH meetings/:id; errors are shown next to the fields and nothing is changed (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await meetingRow(req);
    const form = formOf(req);
    const values = { date: (form.date ?? '').trim(), start: (form.start ?? '').trim(), end: (form.end ?? '').trim(), location: (form.location ?? '').trim() };
    const allDay = m.kind === 'planning_day' && toStockholmTime(m.startsAt) === '00:00';
    const errors: MoveError['errors'] = {};
    if (!values.date) errors.date = 'Ange datumet.';
    if (!allDay || values.start || values.end) {
      if (!values.start) errors.start = 'Ange när mötet börjar.';
      if (!values.end) errors.end = 'Ange när mötet slutar.';
    }
    const badLocation = screenField('location', values.location);
    if (badLocation) errors.location = badLocation.sv;
    if (Object.keys(errors).length) return renderYear(req, res, m.year, 400, { meetingId: m.id, values, errors });
    const change = { date: values.date, ...(values.start || values.end ? { start: values.start, end: values.end } : {}), location: values.location || null };
    try {
      // "Flytta ändå" on the confirmation sends the same form again with bekrafta=ja.
      const x = await moveMeeting(deps, { forbundId: fid(req), id: m.id, change, actor: actor(req), confirm: formOf(req).bekrafta === 'ja' });
      res.redirect(303, withDone(`/admin/ar/${m.year}#mote-${m.id}`, x.unchanged ? 'oforandrat' : 'flyttat', { later: !x.unchanged && !x.workflowNotified }));
    } catch (err) {
      if (err instanceof MoveNeedsConfirmation) {
        // Nothing stored, nothing sent: what the move would bring about, and the choice.
        const heading = `${m.title} ${svDate(meetingDate(m))}`;
        const to = values.start ? { date: values.date, start: values.start, end: values.end } : { date: values.date };
        return html(
          res,
          200,
          moveConfirmPage({
            chrome: await chrome(req, res, 'other'),
            title: `Flytta ${heading} till ${svDate(values.date)}?`,
            facts: [['Möte', m.title], ['Nu', svWhen(meetingTime(m))], ['Ny tid', svWhen(to)], ['Plats', values.location || 'Ingen plats angiven']],
            consequences: err.consequences.map((c) => c.sv),
            action: `/admin/moten/${m.id}/flytta`,
            values,
            back: `/admin/ar/${m.year}#mote-${m.id}`,
          }),
        );
      }
      if (err instanceof Refusal && err.status === 400) {
        for (const p of err.problems) if (p.field === 'date' || p.field === 'start' || p.field === 'end' || p.field === 'location') errors[p.field] = errors[p.field] ? `${errors[p.field]} ${p.sv}` : p.sv;
        return renderYear(req, res, m.year, 400, { meetingId: m.id, values, errors });
      }
      throw err;
    }
  });

  page(r, { method: 'post', path: '/ar/:year/kalenderfloden/:body/byt-lank', summary: "renew one of the förbund's calendar feeds, as POST feeds/:body/renew: the feed gets a new address and the old one stops working; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect to the year page's feeds)", params: { year: 'calendar year of the page, four digits', body: FEED_BODIES.join(', ') }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'byta länk till ett kalenderflöde');
    const year = yearOf(req);
    try {
      await renewFeed(deps, { forbundId: fid(req), body: String(req.params.body), by: actor(req) });
    } catch (err) {
      if (err instanceof Refusal) throw new PageError(err.status, 'Länken kunde inte bytas', [err.sv]);
      throw err;
    }
    res.redirect(303, withDone(`/admin/ar/${year}#kalenderfloden`, 'ny-flodeslank'));
  });

  page(r, { method: 'post', path: '/ar/:year/i-arscykel-sedan', summary: 'set the date the förbund went live in Årscykel (form field date), as PUT go-live; the official only; errors are shown next to the field and nothing is changed (HTML form POST from this site; signed in as admin; answers with a redirect)', params: { year: 'calendar year of the page, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const year = yearOf(req);
    onlyOfficial(req, 'ändra datumet då förbundet började i Årscykel');
    const value = (formOf(req).date ?? '').trim();
    if (!value) return renderYear(req, res, year, 400, undefined, { value, error: 'Ange datumet då förbundet började i Årscykel.' });
    try {
      const x = await setGoLive(deps, { forbundId: fid(req), date: value, actor: actor(req) });
      res.redirect(303, withDone(`/admin/ar/${year}`, x.changed ? 'startdatum' : 'startdatum-oforandrat', { later: x.changed && !x.workflowNotified }));
    } catch (err) {
      if (err instanceof Refusal && err.status === 400) return renderYear(req, res, year, 400, undefined, { value, error: err.problems.map((p) => p.sv).join(' ') || err.sv });
      throw err;
    }
  });

  page(r, { method: 'get', path: '/moten/:id/stall-in', summary: 'confirm cancelling a meeting (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { id: 'meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await meetingRow(req);
    const heading = `${m.title} ${svDate(meetingDate(m))}`;
    const back = { href: `/admin/ar/${m.year}#mote-${m.id}`, text: 'Nej, tillbaka till året' };
    const c = await chrome(req, res, 'other');
    if (m.status === 'cancelled') return html(res, 200, messagePage({ chrome: c, title: `${heading} är redan inställt`, paragraphs: ['Mötet är redan inställt; inget mer behöver göras.'], links: [back] }));
    if (m.heldAt) return html(res, 409, messagePage({ chrome: c, title: `${heading} har hållits`, paragraphs: ['Ett möte som har hållits kan inte ställas in.'], links: [back] }));
    html(
      res,
      200,
      confirmPage({
        chrome: c,
        title: `Ställa in ${heading}?`,
        lead: 'Kontrollera att det är rätt möte innan du ställer in det.',
        facts: [['Möte', m.title], ['Tid', svWhen(meetingTime(m))], ['Plats', m.location ?? 'Ingen plats angiven']],
        warning: `Deltagarna får en avbokning i sin kalender${m.kind === 'styrelse' ? ', och mötets kallelse och påminnelser skickas inte' : ''}. Moment som skulle tas upp på mötet får nya datum. Det går inte att ångra här.`,
        action: `/admin/moten/${m.id}/stall-in`,
        button: 'Ja, ställ in mötet',
        back,
        danger: true,
      }),
    );
  });

  page(r, { method: 'post', path: '/moten/:id/stall-in', summary: 'cancel a meeting, as POST meetings/:id/cancel (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { id: 'meeting id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const m = await meetingRow(req);
    const x = await cancelMeeting(deps, { forbundId: fid(req), id: m.id, actor: actor(req) });
    res.redirect(303, withDone(`/admin/ar/${m.year}#mote-${m.id}`, 'installt', { later: !x.alreadyCancelled && !x.workflowNotified }));
  });

  page(r, { method: 'get', path: '/ar/:year/faststall', summary: 'confirm adopting a year\'s calendar: the proposed meetings (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { year: 'calendar year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const year = yearOf(req);
    const c = await chrome(req, res, 'other');
    const back = { href: `/admin/ar/${year - 1}#nasta-ar`, text: 'Nej, tillbaka' };
    const adopted = await prisma.cycleYear.findUnique({ where: { forbundId_year: { forbundId: fid(req), year } } });
    if (adopted?.calendarAdoptedAt) {
      return html(res, 200, messagePage({ chrome: c, title: `Planen för ${year} är redan fastställd`, paragraphs: [`Sammanträdesplanen för ${year} fastställdes ${svDate(toStockholmDate(adopted.calendarAdoptedAt))}. Flytta eller ställ in enskilda möten på årets sida.`], links: [{ href: `/admin/ar/${year}`, text: `Året ${year}` }] }));
    }
    let proposal;
    try {
      proposal = await proposedCalendar(prisma, fid(req), year);
    } catch (err) {
      if (err instanceof Refusal) return html(res, 409, messagePage({ chrome: c, title: `Inget förslag för ${year}`, paragraphs: [err.sv, 'Lägg in årets möten med en förbundsfil (npm run import) eller genom API:t.'], links: [back] }));
      throw err;
    }
    const stored = await prisma.meeting.count({ where: { forbundId: fid(req), year, status: 'planned' } });
    const item = (m: (typeof proposal)[number]) => `${svDayDate(m.date)}${m.start && !(m.kind === 'planning_day' && m.start === '00:00') ? ` kl. ${svTime(m.start)}${m.end ? `–${svTime(m.end)}` : ''}` : ''}: ${m.title}${m.location ? `, ${m.location}` : ''}`;
    const groups = GROUPS.map((g) => ({ heading: g.heading, items: proposal.filter((m) => g.kinds.includes(m.kind)).map(item) }));
    html(
      res,
      200,
      confirmPage({
        chrome: c,
        title: `Fastställa sammanträdesplanen för ${year}?`,
        lead: stored ? `Planen består av de ${proposal.length} möten som finns för ${year}.` : `Förslaget är årets möten flyttade till ${year}, på samma veckodagar: ${proposal.length} möten.`,
        body: proposalHtml(groups),
        warning: `Fastställ planen när styrelsen har beslutat om den. Då får deltagarna kalenderinbjudningar och årets moment får sina datum. Därefter flyttar eller ställer du in enskilda möten.`,
        action: `/admin/ar/${year}/faststall`,
        button: `Fastställ planen för ${year}`,
        back,
      }),
    );
  });

  page(r, { method: 'post', path: '/ar/:year/faststall', summary: 'adopt the year\'s calendar as proposed, as POST years/:year/calendar with meetings "proposed" (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { year: 'calendar year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const year = yearOf(req);
    const x = await adoptCalendar(deps, { forbundId: fid(req), year, actor: actor(req), meetings: 'proposed' });
    res.redirect(303, withDone(`/admin/ar/${year}`, 'faststalld', { later: !x.workflowNotified }));
  });

}
