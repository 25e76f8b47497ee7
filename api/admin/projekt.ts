// Projects (insatser): the list, one project with its reports, creating and changing a project
// without the förbund file (services/projekt.ts, as POST projects and PATCH projects/:key), and
// withdrawing one. The official creates, changes and withdraws; the secretary reads.
import type { Request, Response, Router } from 'express';
import { daysBetween, type IsoDate } from '../../domain/dates.js';
import { REPORT_KINDS, type ReportKind } from '../../domain/rapportering.js';
import { conditionalStartText, REPORT_TEXT, svDate, svPeriod } from '../../domain/texts.js';
import { grantDecisionsOf } from '../../services/beviljning.js';
import { withdrawProject } from '../../services/obligations.js';
import { createProject, projectProblems, recordConditionMet, reportChangesOf, updateProject, type ObligationChange, type ProjectInput } from '../../services/projekt.js';
import { isoDay, policyOf } from '../../services/rapportering.js';
import { Refusal, type Problem } from '../../services/refusal.js';
import { actor } from '../auth.js';
import { confirmPage, type ErrorLink } from '../pages/admin.js';
import { FIELD_IDS, projectFormPage, projectListPage, projectPage, type ChangeView, type ProjectFormValues, type ProjectRowView, type ReportRowView } from '../pages/projekt.js';
import { capital, doneMessages, flashOf, formOf, html, PageError, withDone, type AdminKit } from './kit.js';

doneMessages({
  aterkallad: 'Insatsen är återkallad. Inga fler rapporter väntas från den.',
  'insats-skapad': 'Insatsen är sparad och dess rapporter planerade. Samordnaren får påminnelser inför varje rapport.',
  'insats-andrad': 'Ändringarna är sparade.',
  'insats-oforandrad': 'Inget var ändrat, så inget har sparats.',
  'villkor-uppfyllt': 'Villkoret för start är registrerat som uppfyllt, och insatsens rapporter är planerade från den dagen.',
});

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
/** Grant rows on the form: the stored ones and one empty, at least three. */
const GRANT_ROWS_MIN = 3;
const GRANT_ROWS_MAX = 20;

const reportName = (o: { kind: string; periodStart: IsoDate; periodEnd: IsoDate }) => `${capital(REPORT_TEXT[o.kind as ReportKind].name)} ${svPeriod(o.periodStart, o.periodEnd)}`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The form as sent: every field a string (the report kinds a list). */
function valuesOf(req: Request): ProjectFormValues {
  const b = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  const grants = [];
  for (let n = 1; n <= GRANT_ROWS_MAX; n++) {
    if (b[`grantYear${n}`] === undefined && b[`grantAmount${n}`] === undefined) continue;
    grants.push({ year: s(`grantYear${n}`), amount: s(`grantAmount${n}`) });
  }
  while (grants.length < GRANT_ROWS_MIN) grants.push({ year: '', amount: '' });
  const reports = ([] as unknown[]).concat(b.reports ?? []).filter((x): x is string => typeof x === 'string');
  return { key: s('key'), name: s('name'), dnr: s('dnr'), huvudman: s('huvudman'), start: s('start'), end: s('end'), goals: s('goals'), grants, reports, coordinator: s('coordinator'), coordinatorName: s('coordinatorName'), coordinatorEmail: s('coordinatorEmail') };
}

/**
 * What the form asks for, as the service takes it, and the mistakes only the form can make (a grant
 * row's year or kronor). Kronor are whole and may be written with spaces: "1 210 000", "700 000 kr".
 */
function inputOf(v: ProjectFormValues, mode: 'create' | 'edit'): { input: ProjectInput; errors: Record<string, string>; yearRow: Map<string, number> } {
  const errors: Record<string, string> = {};
  const grants: Record<string, number> = {};
  const yearRow = new Map<string, number>();
  v.grants.forEach((g, i) => {
    const n = i + 1;
    const year = g.year.trim();
    const amount = g.amount.replace(/[\s\u00a0\u202f]/g, '').replace(/(kr|kronor|:-)$/i, '');
    if (!year && !amount) return;
    if (!/^\d{4}$/.test(year)) errors[`bidrag-ar-${n}`] = year ? `Skriv året med fyra siffror, till exempel 2026 (rad ${n}).` : `Ange vilket år beloppet på rad ${n} gäller.`;
    else if (yearRow.has(year)) errors[`bidrag-ar-${n}`] = `${year} står redan på rad ${yearRow.get(year)}; skriv varje år en gång.`;
    if (!/^\d{1,10}$/.test(amount)) errors[`bidrag-belopp-${n}`] = amount ? `Skriv beloppet på rad ${n} i hela kronor, till exempel 1 210 000.` : `Ange beloppet för ${year || `rad ${n}`}.`;
    if (!errors[`bidrag-ar-${n}`] && !errors[`bidrag-belopp-${n}`]) {
      grants[year] = Number(amount);
      yearRow.set(year, n);
    } else if (/^\d{4}$/.test(year) && !yearRow.has(year)) yearRow.set(year, n);
  });
  const c = v.coordinator.trim();
  const newName = v.coordinatorName.trim();
  const newEmail = v.coordinatorEmail.trim();
  // "Någon annan" (or no choice, with a new person filled in): a new person; a person chosen and a new
  // one filled in both go to the service, which asks for one of them.
  const coordinator = c === 'ny' || (!c && (newName || newEmail)) ? { name: newName, email: newEmail } : c ? { key: c, ...(newName ? { name: newName } : {}), ...(newEmail ? { email: newEmail } : {}) } : {};
  const input: ProjectInput = {
    ...(mode === 'create' && v.key.trim() ? { key: v.key.trim() } : {}),
    name: v.name,
    dnr: v.dnr.trim() || null,
    huvudman: v.huvudman.trim() || null,
    start: v.start.trim(),
    end: v.end.trim(),
    goals: v.goals.split(/\r?\n/).map((g) => g.trim()).filter(Boolean),
    grants,
    reports: v.reports,
    coordinator,
  };
  return { input, errors, yearRow };
}

/** The service's problems next to the form's fields (the form's own mistakes first), and the summary in the form's order. */
function formErrors(v: ProjectFormValues, own: Record<string, string>, problems: Problem[], yearRow: Map<string, number>, firstKind: string): { errors: Record<string, string>; summary: ErrorLink[] } {
  const errors = { ...own };
  const general: string[] = [];
  const idOf = (field: string): string | undefined => {
    if (field === 'key') return FIELD_IDS.key;
    if (field === 'name' || field === 'dnr' || field === 'huvudman' || field === 'start') return FIELD_IDS[field];
    if (field === 'end') return FIELD_IDS.end;
    if (field === 'goals' || field.startsWith('goals[')) return FIELD_IDS.goals;
    if (field === 'reports' || field.startsWith('reports[')) return FIELD_IDS.reports;
    if (field === 'coordinator' || field === 'coordinator.key') return FIELD_IDS.coordinator;
    if (field === 'coordinator.name') return FIELD_IDS.coordinatorName;
    if (field === 'coordinator.email') return FIELD_IDS.coordinatorEmail;
    if (field === 'grants') return 'bidrag-ar-1';
    const year = /^grants\.(\d{4})$/.exec(field)?.[1];
    if (year) return `bidrag-ar-${yearRow.get(year) ?? 1}`;
    return undefined;
  };
  for (const p of problems) {
    const id = idOf(p.field);
    if (!id) general.push(p.sv);
    else if (!errors[id]) errors[id] = p.sv;
    else if (!errors[id].includes(p.sv)) errors[id] += ` ${p.sv}`;
  }
  const order: string[] = [FIELD_IDS.name, FIELD_IDS.key, FIELD_IDS.dnr, FIELD_IDS.huvudman, FIELD_IDS.start, FIELD_IDS.end, FIELD_IDS.coordinator, FIELD_IDS.coordinatorName, FIELD_IDS.coordinatorEmail, FIELD_IDS.reports, ...v.grants.flatMap((_, i) => [`bidrag-ar-${i + 1}`, `bidrag-belopp-${i + 1}`]), FIELD_IDS.goals];
  const summary: ErrorLink[] = order.filter((id) => errors[id]).map((id) => ({ href: `#${id === FIELD_IDS.reports ? `rapport-${firstKind}` : id}`, text: errors[id] }));
  return { errors, summary: [...summary, ...general.map((text) => ({ href: '#innehall', text }))] };
}

export function projectPages(k: AdminKit, r: Router): void {
  const { deps, prisma, page, today, fid, isAdmin, onlyOfficial, chrome } = k;

  async function projectOf(req: Request) {
    const p = await prisma.project.findUnique({
      where: { forbundId_key: { forbundId: fid(req), key: String(req.params.key) } },
      include: { coordinator: true, obligations: { orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }] } },
    });
    if (!p) throw new PageError(404, 'Insatsen finns inte', ['Det finns ingen sådan insats i förbundet.']);
    return p;
  }

  /** The report kinds of the förbund's policy, as checkboxes with when each is due. */
  async function kindsOf(req: Request) {
    const f = await prisma.forbund.findUniqueOrThrow({ where: { id: fid(req) }, select: { reportingPolicy: true } });
    const policy = policyOf(f);
    return REPORT_KINDS.filter((kind) => policy.kinds[kind]).map((kind) => {
      const rule = policy.kinds[kind]!;
      const when: Record<ReportKind, string> = {
        quarterly: 'varje kvartal',
        halfYear: 'januari–juni varje år',
        annual: 'varje kalenderår',
        final: 'hela insatsen, när den slutar',
        financial: `perioder som slutar i ${(rule.months ?? [6, 12]).map((m) => MONTHS[m - 1]).join(' och ')}`,
      };
      return { kind, label: capital(REPORT_TEXT[kind].name), hint: `(${when[kind]}; senast ${plural(rule.dueDays, 'dag', 'dagar')} efter periodens slut)` };
    });
  }

  async function peopleOf(req: Request) {
    const people = await prisma.person.findMany({ where: { forbundId: fid(req) }, select: { key: true, name: true, email: true, roles: true } });
    return people.map((p) => ({ key: p.key, name: p.name, email: p.email, coordinator: p.roles.includes('coordinator') })).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  }

  async function renderForm(req: Request, res: Response, o: { mode: 'create' | 'edit'; project?: { name: string; key: string }; values: ProjectFormValues; status?: number; errors?: Record<string, string>; summary?: ErrorLink[] }) {
    const [c, people, kinds] = await Promise.all([chrome(req, res, 'projects'), peopleOf(req), kindsOf(req)]);
    const action = o.mode === 'create' ? '/admin/ny-insats' : `/admin/insatser/${encodeURIComponent(o.project!.key)}/andra`;
    html(res, o.status ?? 200, projectFormPage({ chrome: c, mode: o.mode, project: o.project, action, values: o.values, errors: o.errors ?? {}, summary: o.summary ?? [], people, kinds }));
  }

  /** A form with mistakes comes back (400) with every problem next to its field, what was typed kept. */
  async function again(req: Request, res: Response, o: { mode: 'create' | 'edit'; project?: { name: string; key: string }; values: ProjectFormValues; own: Record<string, string>; problems: Problem[]; yearRow: Map<string, number>; status?: number }) {
    const kinds = await kindsOf(req);
    const { errors, summary } = formErrors(o.values, o.own, o.problems, o.yearRow, kinds[0]?.kind ?? 'quarterly');
    await renderForm(req, res, { mode: o.mode, project: o.project, values: o.values, status: o.status ?? 400, errors, summary });
  }

  // --- the list ---

  page(r, { method: 'get', path: '/insatser', summary: "the förbund's projects: active and coming first, then ended and withdrawn, each with its period, coordinator, next report due and overdue reports; \"Ny insats\" for the official (Swedish HTML page; signed in with a session cookie as admin or secretary)", response: { contentType: 'text/html' } }, async (req, res) => {
    const day = today();
    const projects = await prisma.project.findMany({
      where: { forbundId: fid(req) },
      include: { coordinator: { select: { name: true } }, obligations: { where: { status: 'open' }, orderBy: { dueDate: 'asc' }, select: { kind: true, periodStart: true, periodEnd: true, dueDate: true } } },
    });
    const rows = projects
      .map((p) => {
        const start = isoDay(p.startDate);
        const end = isoDay(p.endDate);
        const open = p.status === 'active' ? p.obligations : [];
        const next = open.find((o) => isoDay(o.dueDate) >= day) ?? open[0];
        const group = p.status === 'withdrawn' ? 'aterkallade' : end < day ? 'avslutade' : 'pagaende';
        const view: ProjectRowView = {
          href: `/admin/insatser/${encodeURIComponent(p.key)}`,
          name: p.name,
          periodText: svPeriod(start, end),
          coordinator: p.coordinator.name,
          ...(next ? { next: { what: reportName({ kind: next.kind, periodStart: isoDay(next.periodStart), periodEnd: isoDay(next.periodEnd) }), due: isoDay(next.dueDate) } } : {}),
          overdue: open.filter((o) => isoDay(o.dueDate) < day).length,
          ...(group === 'pagaende' && p.startCondition && !p.conditionMetOn ? { note: 'villkorad start, väntar på beslut' } : group === 'pagaende' && start > day ? { note: 'har inte börjat' } : {}),
        };
        return { group, start, view };
      })
      .sort((a, b) => a.start.localeCompare(b.start) || a.view.name.localeCompare(b.view.name, 'sv'));
    const groups = [
      { id: 'pagaende', heading: 'Pågående och kommande', empty: 'Inga pågående insatser.' },
      { id: 'avslutade', heading: 'Avslutade', empty: 'Inga avslutade insatser.' },
      { id: 'aterkallade', heading: 'Återkallade', empty: 'Inga återkallade insatser.' },
    ].map((g) => ({ ...g, rows: rows.filter((x) => x.group === g.id).map((x) => x.view) }));
    html(res, 200, projectListPage({ chrome: await chrome(req, res, 'projects'), groups, canCreate: isAdmin(req), flash: flashOf(req) }));
  });

  // --- creating ---

  page(r, { method: 'get', path: '/ny-insats', summary: 'the form for a new project: name, key, dnr, huvudman, period, coordinator (a person of the förbund or a new one), report kinds, grants per year, goals; the official only (Swedish HTML page; signed in with a session cookie as admin or secretary)', response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'lägga till en insats');
    const kinds = await kindsOf(req);
    await renderForm(req, res, {
      mode: 'create',
      values: { key: '', name: '', dnr: '', huvudman: '', start: '', end: '', goals: '', grants: Array.from({ length: GRANT_ROWS_MIN }, () => ({ year: '', amount: '' })), reports: kinds.map((x) => x.kind), coordinator: '', coordinatorName: '', coordinatorEmail: '' },
    });
  });

  page(r, { method: 'post', path: '/ny-insats', summary: 'create a project, as POST projects: its reports are planned and its workflow started; a form with mistakes comes back (400) with each next to its field, nothing saved; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect to the project)', response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'lägga till en insats');
    const values = valuesOf(req);
    const { input, errors: own, yearRow } = inputOf(values, 'create');
    if (Object.keys(own).length) return again(req, res, { mode: 'create', values, own, problems: await projectProblems(prisma, fid(req), input), yearRow });
    try {
      const x = await createProject(deps, { forbundId: fid(req), input, actor: actor(req) });
      res.redirect(303, withDone(`/admin/insatser/${encodeURIComponent(x.project.key)}?andring=${x.auditId}`, 'insats-skapad', { later: !x.workflowNotified }) + '#andringar');
    } catch (err) {
      if (err instanceof Refusal && err.problems.length) return again(req, res, { mode: 'create', values, own, problems: err.problems, yearRow, status: err.status });
      throw err;
    }
  });

  // --- one project ---

  page(r, { method: 'get', path: '/insatser/:key', summary: "one project: its facts, goals, grants per year (with the board's decisions on them) and reports (each linking to its page); a conditional start waiting for its decision, with the official's form recording it met; after a change, what happened to its reports; the official's links to change and withdraw it (Swedish HTML page; signed in with a session cookie as admin or secretary)", params: { key: 'project key' }, response: { contentType: 'text/html' } }, async (req, res) => renderProject(req, res));

  async function renderProject(req: Request, res: Response, status = 200, conditionForm?: { value: string; note: string; error: string }) {
    const p = await projectOf(req);
    const day = today();
    const start = isoDay(p.startDate);
    const end = isoDay(p.endDate);
    const reports: ReportRowView[] = p.obligations.map((o) => {
      const due = isoDay(o.dueDate);
      const late = o.status === 'open' && p.status === 'active' && due < day ? daysBetween(due, day) : 0;
      const [state, tag]: [string, ReportRowView['tag']] =
        o.status === 'submitted' ? ['Inlämnad', 'done'] : o.status === 'withdrawn' || p.status === 'withdrawn' ? ['Återkallad', 'gone'] : late ? [`Försenad ${plural(late, 'dag', 'dagar')}`, 'late'] : ['Väntar', ''];
      return { href: `/admin/rapporter/${o.id}`, what: reportName({ kind: o.kind, periodStart: isoDay(o.periodStart), periodEnd: isoDay(o.periodEnd) }), due, state, tag };
    });
    const lead = p.status === 'withdrawn' ? 'Insatsen är återkallad; inga rapporter väntas.' : end < day ? `Insatsen slutade ${svDate(end)}.` : start > day ? `Insatsen börjar ${svDate(start)}.` : `Insatsen pågår till och med ${svDate(end)}.`;
    const andring = typeof req.query.andring === 'string' && /^[0-9a-f-]{36}$/.test(req.query.andring) ? req.query.andring : undefined;
    const c = andring ? await reportChangesOf(prisma, { forbundId: fid(req), projectId: p.id, auditId: andring }) : null;
    const item = (o: ObligationChange) => `${reportName(o)}, sista dag ${svDate(o.dueDate)}`;
    const lists: ChangeView[] = c
      ? [
          { heading: c.action === 'created' ? 'Planerade rapporter' : 'Nya rapporter', items: c.added.map(item) },
          { heading: 'Återkallade rapporter – de behövs inte längre', items: c.withdrawn.map(item) },
          { heading: 'Rapporter som väntas igen', items: c.reopened.map(item) },
          { heading: 'Rapporter med ny sista dag', items: c.redated.map((o) => `${reportName(o)}: sista dag ${svDate(o.dueDate)} (var ${svDate(o.from)})`) },
        ].filter((l) => l.items.length)
      : [];
    const admin = isAdmin(req);
    const kinds = (p.reportKinds as ReportKind[]).map((kind) => REPORT_TEXT[kind].name);
    html(
      res,
      status,
      projectPage({
        chrome: await chrome(req, res, 'projects'),
        name: p.name,
        lead,
        facts: [
          ['Kortnamn', p.key],
          ['Diarienummer', p.dnr || '–'],
          ['Huvudman', p.huvudman || '–'],
          ['Period', svPeriod(start, end)],
          ['Rapporter', kinds.length ? capital(kinds.join(', ')) : 'Inga'],
        ],
        coordinator: { name: p.coordinator.name, email: p.coordinator.email },
        goals: p.goals,
        grants: Object.entries((p.grants ?? {}) as Record<string, number>)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([year, amount]) => ({ year, amount })),
        reports,
        ...(c ? { changes: { heading: c.action === 'created' ? 'Rapporterna som planerades' : 'Så ändrades rapporterna', lists } } : {}),
        actions: admin && p.status === 'active' ? [{ href: `/admin/insatser/${encodeURIComponent(p.key)}/andra`, text: 'Ändra insatsen' }, { href: `/admin/insatser/${encodeURIComponent(p.key)}/aterkalla`, text: 'Återkalla insatsen…' }] : [],
        note: admin ? undefined : p.status === 'active' ? 'Tjänstepersonen kan ändra eller återkalla insatsen.' : undefined,
        flash: flashOf(req),
        ...(p.startCondition
          ? {
              condition: {
                text: conditionalStartText({ condition: p.startCondition, metOn: p.conditionMetOn ? isoDay(p.conditionMetOn) : null }),
                waiting: !p.conditionMetOn,
                ...(admin && !p.conditionMetOn && p.status === 'active' ? { form: { action: `/admin/insatser/${encodeURIComponent(p.key)}/villkor-uppfyllt`, max: day, ...(conditionForm ?? {}) } } : {}),
              },
            }
          : {}),
        grantDecisions: ((await grantDecisionsOf(prisma, fid(req), [p.id])).get(p.id) ?? []).map((d) => d.text),
      }),
    );
  }

  page(r, { method: 'post', path: '/insatser/:key/villkor-uppfyllt', summary: "record that a project's conditional start is met (form fields metOn, note), as POST projects/:key/condition-met: its reports are planned from that day and its workflow told; a wrong date comes back (400) next to its field; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect to the project, which shows the reports planned)", params: { key: 'project key' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'registrera att villkoret för en insats start är uppfyllt');
    const form = formOf(req);
    const value = form.metOn ?? '';
    const note = form.note ?? '';
    if (!value) return renderProject(req, res, 400, { value, note, error: 'Ange dagen då villkoret uppfylldes.' });
    try {
      const x = await recordConditionMet(deps, { forbundId: fid(req), key: String(req.params.key), metOn: value, note, actor: actor(req) });
      res.redirect(303, withDone(`/admin/insatser/${encodeURIComponent(x.project.key)}?andring=${x.auditId}`, 'villkor-uppfyllt', { later: !x.workflowNotified }) + '#andringar');
    } catch (err) {
      if (err instanceof Refusal && err.status === 400) return renderProject(req, res, 400, { value, note, error: err.problems.map((q) => q.sv).join(' ') });
      if (err instanceof Refusal) throw new PageError(err.status, 'Villkoret kunde inte registreras', [err.sv]);
      throw err;
    }
  });

  // --- changing ---

  page(r, { method: 'get', path: '/insatser/:key/andra', summary: 'the form to change a project (its key stays); the official only (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { key: 'project key' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'ändra en insats');
    const p = await projectOf(req);
    if (p.status === 'withdrawn') throw new PageError(409, 'Insatsen är återkallad', ['En återkallad insats kan inte ändras.']);
    const grants = Object.entries((p.grants ?? {}) as Record<string, number>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([year, amount]) => ({ year, amount: String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ' ') }));
    grants.push({ year: '', amount: '' });
    while (grants.length < GRANT_ROWS_MIN) grants.push({ year: '', amount: '' });
    await renderForm(req, res, {
      mode: 'edit',
      project: { name: p.name, key: p.key },
      values: { key: p.key, name: p.name, dnr: p.dnr ?? '', huvudman: p.huvudman, start: isoDay(p.startDate), end: isoDay(p.endDate), goals: p.goals.join('\n'), grants, reports: [...p.reportKinds], coordinator: p.coordinator.key, coordinatorName: '', coordinatorEmail: '' },
    });
  });

  page(r, { method: 'post', path: '/insatser/:key/andra', summary: 'change a project, as PATCH projects/:key: its reports are planned again (an end moved earlier withdraws those no longer owed; submitted ones are kept) and its workflow told; a form with mistakes comes back (400), nothing saved; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect to the project, which shows what happened to its reports)', params: { key: 'project key' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'ändra en insats');
    const p = await projectOf(req);
    const project = { name: p.name, key: p.key };
    const values = valuesOf(req);
    const { input, errors: own, yearRow } = inputOf(values, 'edit');
    if (Object.keys(own).length) return again(req, res, { mode: 'edit', project, values, own, problems: await projectProblems(prisma, fid(req), input, p.key), yearRow });
    try {
      const x = await updateProject(deps, { forbundId: fid(req), key: p.key, input, actor: actor(req) });
      const target = `/admin/insatser/${encodeURIComponent(p.key)}`;
      res.redirect(303, x.changed ? withDone(`${target}?andring=${x.auditId}`, 'insats-andrad', { later: !x.workflowNotified }) + '#andringar' : withDone(target, 'insats-oforandrad'));
    } catch (err) {
      if (err instanceof Refusal && err.status === 400 && err.problems.length) return again(req, res, { mode: 'edit', project, values, own, problems: err.problems, yearRow });
      throw err;
    }
  });

  // --- withdrawing ---

  page(r, { method: 'get', path: '/insatser/:key/aterkalla', summary: 'confirm withdrawing a project (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { key: 'project key' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'återkalla en insats');
    const p = await prisma.project.findUnique({ where: { forbundId_key: { forbundId: fid(req), key: String(req.params.key) } } });
    if (!p) throw new PageError(404, 'Insatsen finns inte', ['Det finns ingen sådan insats i förbundet.']);
    const open = await prisma.reportingObligation.count({ where: { projectId: p.id, status: 'open' } });
    html(
      res,
      200,
      confirmPage({
        chrome: await chrome(req, res, 'projects'),
        title: `Återkalla ${p.name}?`,
        lead: p.status === 'withdrawn' ? 'Insatsen är redan återkallad.' : `Insatsen har ${open} ${open === 1 ? 'rapport' : 'rapporter'} kvar att lämna. När den återkallas väntas inga fler, och påminnelserna slutar.`,
        facts: [['Insats', p.name], ['Huvudman', p.huvudman || '–'], ['Period', svPeriod(isoDay(p.startDate), isoDay(p.endDate))]],
        warning: 'Återkalla bara en insats som styrelsen har beslutat att avsluta i förtid eller som aldrig blev av. Det går inte att ångra här.',
        action: `/admin/insatser/${encodeURIComponent(p.key)}/aterkalla`,
        button: 'Ja, återkalla insatsen',
        back: { href: `/admin/insatser/${encodeURIComponent(p.key)}`, text: 'Nej, tillbaka' },
        danger: true,
      }),
    );
  });

  page(r, { method: 'post', path: '/insatser/:key/aterkalla', summary: 'withdraw a project, as POST projects/:key/withdraw; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect to the project)', params: { key: 'project key' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'återkalla en insats');
    const x = await withdrawProject(deps, { forbundId: fid(req), key: String(req.params.key), actor: actor(req) });
    res.redirect(303, withDone(`/admin/insatser/${encodeURIComponent(x.project.key)}`, 'aterkallad', { later: !x.workflowNotified }));
  });
}
