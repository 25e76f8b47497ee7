// Money: a year's budget, outcome and forecast (3 and 6 months ahead and at year end, as the
// financing policy's quarterly review asks); the result against the financing policy; the
// quarterly reviews; the follow-up for the board (PDF, CSV); and, as the API lets the role write
// (WRITERS in api/pengar.ts: the official, not the secretary), changing a budget line and entering
// the outcome from the bookkeeping's SIE 4 or CSV file.
//
// The upload is a multipart form (read with multer in api/admin/multipart.ts): a SIE file is
// CP437 bytes, which a pasted text could not carry; a CSV may also be pasted into a textarea.
import type { Request, Response, Router } from 'express';
import { DEFAULT_MATERIALITY, formatKr, type BudgetWarning, type MoneyPolicy } from '../../domain/budget.js';
import { contributionNameSv, followUpCsv, followUpPdf } from '../../domain/budgetuppfoljning.js';
import { toStockholmDate } from '../../domain/dates.js';
import { svDate } from '../../domain/texts.js';
import { consultationOf, recordReply, startConsultation } from '../../services/budgetsamrad.js';
import { samradHtml, SAMRAD_IDS, type AdoptionView, type SamradField, type SamradPageView } from '../pages/budgetsamrad.js';
import { accountMap, actualsThrough, budgetOverview, changeBudgetLine, computeReview, csvActuals, csvTextOf, followUpFacts, lineDrillDown, reviewsOf, sieActuals, storeActuals, UPLOAD_LIMIT_BYTES, UPLOAD_LIMIT_TEXT } from '../../services/pengar.js';
import { Refusal } from '../../services/refusal.js';
import { meetingDate } from '../../services/arscykel.js';
import { actor } from '../auth.js';
import { WRITERS } from '../pengar.js';
import { moneyAccountsPage, moneyLinePage, moneyPage, ore, type ActualsFormView, type LineFormView, type MoneyGroup, type MoneyRow, type MoneyView } from '../pages/pengar.js';
import { doneMessages, flashOf, formOf, html, PageError, withDone, yearParam, type AdminKit } from './kit.js';
import { MultipartError, multipartOf } from './multipart.js';

doneMessages({
  'samrad-startat': 'Samrådet är startat. Förslaget skickas till medlemmarna med sista dag för svar.',
  'samrad-svar': 'Svaret är registrerat.',
  budgetrad: 'Budgetraden är ändrad. Resultatet, prognosen och planens varningar är räknade om.',
  utfall: 'Utfallet är inläst och prognosen räknad om.',
});

export const MONTHS_SV = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'] as const;
const REVIEW_STATE_SV: Record<string, string> = { waiting_for_actuals: 'Väntar på utfall', forecast: 'Prognos gjord', escalated: 'Till styrelsen' };
const GROUPS = [
  { id: 'intakter', heading: 'Intäkter', of: (g: string) => g === 'members' || g === 'other_income' },
  { id: 'administration', heading: 'Administration', of: (g: string) => g === 'administration' },
  { id: 'insatser', heading: 'Insatser', of: (g: string) => g === 'project' },
];

/** A stored warning of the plan in Swedish (the patterns of budgetWarnings in domain/budget.ts), else as stored. */
export function warningSv(w: BudgetWarning): string {
  const more = (x: string) => (x === 'more' ? 'mer' : 'mindre');
  const what: Record<string, string> = { 'total income': 'intäkterna', 'total costs': 'kostnaderna', 'administration total': 'administrationen', 'project total': 'insatserna' };
  let m = /^\d{4}: the stated project total (.+? kr) is (.+? kr) (more|less) than the sum of the projects' grant ceilings for the year, (.+? kr) \((.*)\); the project lines/.exec(w.message);
  if (m) return `Planen anger ${m[1]} till insatserna, ${m[2]} ${more(m[3])} än insatsernas beviljade belopp för året, ${m[4]} (${m[5]}).`;
  m = /^\d{4}: the stated (total income|total costs|administration total|project total) (.+? kr) is (.+? kr) (more|less) than the sum of its lines, (.+? kr)/.exec(w.message);
  if (m) return `Planen anger ${m[2]} för ${what[m[1]]}, ${m[3]} ${more(m[4])} än raderna tillsammans, ${m[5]}.`;
  m = /^\d{4}: the stated result (.+? kr) is (.+? kr) (more|less) than the result of the lines, (.+? kr) \(income (.+? kr) − costs (.+? kr)\)/.exec(w.message);
  if (m) return `Planen anger på annat ställe resultatet ${m[1]}, ${m[2]} ${more(m[3])} än budgettabellens rader ger: ${m[4]} (intäkter ${m[5]} − kostnader ${m[6]}). Prognosen prövas mot budgettabellen, den budget styrelsen fastställde, och mot finansieringspolicyn som den är skriven; planen motsäger sig själv här.`;
  m = /^\d{4}: the lines of project "(.+)" sum to (.+? kr), but the project has no grant ceiling for the year/.exec(w.message);
  if (m) return `Raderna för insatsen ”${m[1]}” summerar till ${m[2]}, men insatsen har inget beviljat belopp för året.`;
  m = /^\d{4}: the lines of project "(.+)" sum to (.+? kr), (.+? kr) above its grant ceiling for the year, (.+? kr)/.exec(w.message);
  if (m) return `Raderna för insatsen ”${m[1]}” summerar till ${m[2]}, ${m[3]} över dess beviljade belopp för året, ${m[4]}.`;
  return w.message;
}

/** The policy's verdict on the forecast, in Swedish (as judge() in domain/budget.ts decides it). */
function verdictSv(yearEnd: number, equityStart: number | null, policy: MoneyPolicy, within: boolean, throughText: string, planned: number): string {
  const floor = -policy.maxPlannedDeficit;
  const parts = [
    yearEnd < floor
      ? policy.maxPlannedDeficit === 0
        ? `Prognosen för helåret (${throughText}) är ett underskott på ${formatKr(-yearEnd)}. Enligt finansieringspolicyn ska ett underskott inte uppstå.`
        : `Prognosen för helåret (${throughText}) är ${formatKr(yearEnd)}, ${formatKr(floor - yearEnd)} under vad policyn tillåter (högst ${formatKr(policy.maxPlannedDeficit)} under noll).`
      : yearEnd < 0
        ? `Prognosen för helåret (${throughText}) är ett underskott på ${formatKr(-yearEnd)}, som policyn tillåter (högst ${formatKr(policy.maxPlannedDeficit)} under noll).`
        : `Prognosen för helåret (${throughText}) är ${formatKr(yearEnd)}, inget underskott.`,
  ];
  if (equityStart !== null) {
    const end = equityStart + yearEnd;
    parts.push(end < policy.minEquity ? `Det egna kapitalet skulle sjunka till ${formatKr(end)}, under det lägsta tillåtna, ${formatKr(policy.minEquity)}.` : `Det egna kapitalet blir ${formatKr(end)}, inte under det lägsta tillåtna, ${formatKr(policy.minEquity)}.`);
  }
  parts.push(`Budgeten styrelsen fastställde ger resultatet ${formatKr(planned)}; prognosen är ${yearEnd === planned ? 'densamma' : yearEnd > planned ? `${formatKr(yearEnd - planned)} bättre` : `${formatKr(planned - yearEnd)} sämre`}.`);
  if (!within) parts.push('Ett prognostiserat underskott är styrelsens att åtgärda: styrelsen ska vidta de åtgärder som krävs för att reglera obalansen.');
  return parts.join(' ');
}

interface LineError {
  values: LineFormView['values'];
  errors: LineFormView['errors'];
}
interface ActualsError {
  problems: string[];
  on: ActualsFormView['on'];
  text: string;
}

/**
 * The forecast's horizons worth a column: 3 and 6 months after the last month of outcome, each
 * named by its true distance and the month it reaches (both stop at December, so after September
 * they are one). None without outcome (month 0: "3 months ahead" of nothing) or when the outcome
 * covers the whole year.
 */
export function horizonsOf(through: number, months: { at3Months: number; at6Months: number }): { pick: 'at3Months' | 'at6Months'; heading: string; month: string }[] {
  if (through < 1 || through > 11) return [];
  const picks = (['at3Months', 'at6Months'] as const).filter((p, i) => i === 0 || months[p] !== months.at3Months);
  return picks.map((p) => {
    const n = months[p] - through;
    return { pick: p, heading: `Prognos om ${n === 1 ? 'en månad' : `${n} månader`}`, month: `t.o.m. ${MONTHS_SV[months[p] - 1]}` };
  });
}

interface SamradForm {
  start?: { values: { replyBy: string; message: string }; errors: Partial<Record<SamradField, string>> };
  reply?: { values: { memberKey: string; repliedOn: string; reply: string }; errors: Partial<Record<SamradField, string>> };
}

/** A refusal's problems next to the samråd form's fields; undefined for another refusal. */
function samradErrorsOf(err: unknown): Partial<Record<SamradField, string>> | undefined {
  if (!(err instanceof Refusal) || err.status !== 400) return undefined;
  const out: Partial<Record<SamradField, string>> = {};
  for (const p of err.problems) if (p.field in SAMRAD_IDS) out[p.field as SamradField] ??= p.sv;
  if (!Object.keys(out).length && err.problems.length) out.replyBy = err.sv;
  return Object.keys(out).length ? out : undefined;
}

export function moneyPages(k: AdminKit, r: Router): void {
  const { deps, prisma, page, fid, onlyOfficial, chrome, thisYear, isAdmin, today } = k;
  const yearOf = (req: Request) => yearParam(req, '/admin/pengar/2026');
  const mayWrite = (req: Request) => (WRITERS as readonly string[]).includes(req.auth!.role);
  const writer = (req: Request, what: string) => {
    if (!mayWrite(req)) onlyOfficial(req, what);
  };
  const throughTextOf = (through: number) => (through ? `utfall t.o.m. ${MONTHS_SV[through - 1]}` : 'inget utfall ännu');

  /** The section on the samråd with the members on the year's budget, and its form errors for the summary at the top. */
  async function samradSection(req: Request, year: number, form: SamradForm = {}): Promise<{ html: string; errors: { href: string; text: string }[] }> {
    const v = await consultationOf(prisma, fid(req), year, deps.now());
    const day = (iso: string) => svDate(iso);
    const rows = v.members.map((m) => {
      const reminded = m.reminders.length ? `Påmind ${m.reminders.map((r) => (r === 'late' ? 'efter svarsdagen' : 'före svarsdagen')).join(' och ')}.` : '';
      if (m.state === 'replied')
        return { memberName: m.memberName, tag: { text: m.late ? 'Svar, efter svarsdagen' : 'Svar', kind: 'done' as const }, lines: [`Svarade ${day(m.repliedOn!)} (sista dag ${day(m.replyBy)}).`, m.reply ?? ''] };
      if (m.state === 'late') return { memberName: m.memberName, tag: { text: 'Försenat', kind: 'late' as const }, lines: [`Inget svar; sista dag var ${day(m.replyBy)}. Förslaget skickades ${day(toStockholmDate(new Date(m.sentAt)))}.`, reminded].filter(Boolean) };
      return { memberName: m.memberName, tag: { text: 'Väntar', kind: '' as const }, lines: [`Svar senast ${day(m.replyBy)}. Förslaget skickades ${day(toStockholmDate(new Date(m.sentAt)))}.`, reminded].filter(Boolean) };
    });
    const admin = isAdmin(req);
    const errors = { ...(form.start?.errors ?? {}), ...(form.reply?.errors ?? {}) };
    const firstWaiting = v.members.find((m) => m.state !== 'replied')?.memberKey ?? '';
    const view: SamradPageView = {
      year,
      rows,
      notConsulted: v.notConsulted.map((m) => m.memberName),
      ...(admin && (v.notConsulted.length > 0) && year >= thisYear()
        ? { start: { action: `/admin/pengar/${year}/samrad`, values: form.start?.values ?? { replyBy: '', message: '' }, errors: form.start?.errors ?? {}, today: today(), label: v.started ? 'Skicka förslaget till medlemmarna som inte har fått det' : `Starta samrådet om budget ${year}` } }
        : {}),
      ...(admin && v.members.length
        ? { reply: { action: `/admin/pengar/${year}/samrad/svar`, members: v.members.map((m) => ({ key: m.memberKey, name: m.memberName, replied: m.state === 'replied' })), values: form.reply?.values ?? { memberKey: firstWaiting, repliedOn: today(), reply: '' }, errors: form.reply?.errors ?? {}, today: today() } }
        : {}),
      ...(!admin ? { readOnly: 'Tjänstepersonen startar samrådet och registrerar medlemmarnas svar.' } : {}),
    };
    const order: SamradField[] = ['memberKey', 'repliedOn', 'reply', 'replyBy', 'message'];
    return { html: samradHtml(view), errors: order.flatMap((f) => (errors[f] ? [{ href: `#${SAMRAD_IDS[f]}`, text: errors[f]! }] : [])) };
  }

  /** 'Antagen av styrelsen 26 november 2026, beslut 2026-00031 § 7', or not yet; each revision with its decision. */
  const adoptionView = (o: { adopted: { at: string; by: string } | null; revisions: { at: string; by: string; what: string }[] }): AdoptionView => ({
    adopted: !!o.adopted,
    text: o.adopted ? `Antagen av styrelsen ${svDate(toStockholmDate(new Date(o.adopted.at)))}${o.adopted.by ? `, ${o.adopted.by}` : ''}.` : 'Inte antagen ännu av styrelsen.',
    revisions: o.revisions.map((r) => [Number.isNaN(Date.parse(r.at)) ? '' : svDate(toStockholmDate(new Date(r.at))), r.by, r.what].filter(Boolean).join(', ')),
  });

  async function renderMoney(req: Request, res: Response, year: number, status = 200, form: { line?: LineError; actuals?: ActualsError; samrad?: SamradForm } = {}) {
    const forbundId = fid(req);
    const [c, overview, samrad] = await Promise.all([chrome(req, res, year === thisYear() ? 'money' : 'other'), budgetOverview(prisma, forbundId, year), samradSection(req, year, form.samrad)]);
    const flash = flashOf(req);
    if (!overview) {
      const base: MoneyView = { chrome: c, year, flash, none: `Det finns ingen budget för ${year}. Budgeten kommer från förbundsfilen (budget.years) när den läses in.`, throughText: '', horizons: [], groups: [], sums: [], result: { facts: [] }, warnings: [], projects: [], contributions: [], reviews: [], samrad: samrad.html, errors: samrad.errors };
      return html(res, status, moneyPage(base));
    }
    const through = await actualsThrough(prisma, forbundId, year);
    const [out, reviews] = await Promise.all([computeReview(prisma, forbundId, year, through), reviewsOf(prisma, forbundId, year)]);
    const perLine = new Map(out?.forecast.perLine.map((l) => [l.key, l]) ?? []);
    const horizons = out ? horizonsOf(through, out.forecast.months) : [];
    const rowOf = (l: { key: string; name: string; kind: string; amount: number }): MoneyRow => {
      const f = perLine.get(l.key);
      return { key: l.key, name: l.name, budget: l.amount, toDate: f ? f.actualToDate : null, ahead: horizons.map((h) => (f ? f[h.pick] : null)), yearEnd: f ? f.yearEnd : null, deviation: f ? (l.kind === 'income' ? f.yearEnd - l.amount : l.amount - f.yearEnd) : null, href: `/admin/pengar/${year}/rader/${encodeURIComponent(l.key)}`, ...(f && through > 0 ? { material: f.material } : {}) };
    };
    const sumOf = (name: string, rows: MoneyRow[], key: string): MoneyRow => {
      const add = (pick: (x: MoneyRow) => number | null) => (rows.some((x) => pick(x) === null) ? null : rows.reduce((a, x) => a + (pick(x) ?? 0), 0));
      return { key, name, budget: rows.reduce((a, x) => a + x.budget, 0), toDate: add((x) => x.toDate), ahead: horizons.map((_, i) => add((x) => x.ahead[i])), yearEnd: add((x) => x.yearEnd), deviation: add((x) => x.deviation) };
    };
    const groups: MoneyGroup[] = GROUPS.map((g) => {
      const rows = overview.lines.filter((l) => g.of(l.group)).map(rowOf);
      return { id: g.id, heading: g.heading, rows, total: sumOf(`Summa ${g.heading.toLowerCase()}`, rows, `summa-${g.id}`) };
    }).filter((g) => g.rows.length);
    const income = sumOf('Summa intäkter', overview.lines.filter((l) => l.kind === 'income').map(rowOf), 'intakter');
    const costs = sumOf('Summa kostnader', overview.lines.filter((l) => l.kind === 'cost').map(rowOf), 'kostnader');
    const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
    const result: MoneyRow = { key: 'resultat', name: 'Resultat', budget: income.budget - costs.budget, toDate: minus(income.toDate, costs.toDate), ahead: horizons.map((_, i) => minus(income.ahead[i], costs.ahead[i])), yearEnd: minus(income.yearEnd, costs.yearEnd), deviation: minus(minus(income.yearEnd, costs.yearEnd), income.budget - costs.budget) };
    const throughText = through ? `Utfall t.o.m. ${MONTHS_SV[through - 1]}` : 'Utfall';

    const equity = out?.equityStart?.kr ?? overview.equityCarriedOver;
    const rec = overview.reconciliation;
    const facts: [string, string][] = [['Resultat enligt budgeten styrelsen fastställde (budgettabellens rader)', formatKr(overview.totals.result)]];
    if (overview.stated?.result !== undefined && overview.stated.result !== overview.totals.result) facts.push(['Resultat som planen anger på annat ställe', `${formatKr(overview.stated.result)}, en motsägelse i planen (se Planens motsägelser); prognosen prövas inte mot det`]);
    if (out && horizons.length) for (const h of horizons) facts.push([`${h.heading} (resultatet ${h.month})`, formatKr(out.forecast.result[h.pick])]);
    const aheadNote = !out ? undefined : through === 0 ? 'Inget utfall ännu: prognosen om 3 och 6 månader räknas från den senaste månaden med utfall och visas när utfallet är inlagt.' : through === 12 ? 'Utfallet finns för hela året, så det finns inga månader kvar att göra prognos för om 3 och 6 månader.' : undefined;
    if (out && aheadNote) facts.push(['Prognos om 3 och 6 månader', through === 0 ? 'Inget utfall ännu' : 'Året är slut']);
    if (out) facts.push([`Prognos helår (${throughTextOf(through)})`, formatKr(out.forecast.result.yearEnd)]);
    if (rec?.equityAtStart) facts.push(['Eget kapital vid årets början enligt bokföringen', `${formatKr(rec.equityAtStart.kr)} (ingående balans i ${rec.file}${rec.equityAtStart.from === 'net-assets' ? ', tillgångar minus skulder: filen har inga konton för eget kapital' : `, konto ${rec.equityAtStart.accounts.join(', ')}`})`]);
    if (overview.equityCarriedOver !== null) facts.push([rec?.equityAtStart ? 'Eget kapital vid årets början enligt planen' : 'Eget kapital vid årets början', `${formatKr(overview.equityCarriedOver)}${rec?.equityAtStart && rec.equityAtStart.kr !== overview.equityCarriedOver ? `, ${formatKr(Math.abs(rec.equityAtStart.kr - overview.equityCarriedOver))} ${rec.equityAtStart.kr > overview.equityCarriedOver ? 'mindre' : 'mer'} än bokföringen; prognosen räknar med bokföringens` : ''}`]);
    if (equity !== null && equity !== undefined && out) facts.push(['Eget kapital vid årets slut enligt prognosen', formatKr(equity + out.forecast.result.yearEnd)]);
    if (out) facts.push(['Finansieringspolicyn', `${out.policy.maxPlannedDeficit === 0 ? 'inget underskott; prognostiseras ett är det styrelsens uppgift att vidta åtgärder som reglerar obalansen' : `högst ${formatKr(out.policy.maxPlannedDeficit)} underskott`}; eget kapital minst ${formatKr(out.policy.minEquity)}`]);

    const materiality = out?.policy.materiality ?? DEFAULT_MATERIALITY;
    const material = out && through > 0 ? out.forecast.perLine.filter((l) => l.material) : [];
    const noOutcome = out ? out.forecast.perLine.filter((l) => l.noOutcome) : [];
    const reconciliation = rec
      ? {
          heading: 'Avstämning av bokföringen',
          facts: [
            ['Fil', `${rec.file}, inläst ${svDate(rec.readAt.slice(0, 10))}; räkenskapsår ${rec.fiscalYear.start}–${rec.fiscalYear.end}, utfall t.o.m. ${rec.through ? MONTHS_SV[rec.through - 1] : '–'}`],
            ['Organisationsnummer', rec.company.orgNr ? `${rec.company.orgNr}${rec.company.name ? ` (${rec.company.name})` : ''}, förbundets` : 'Filen anger inget (#ORGNR saknas)'],
            ['#RES mot verifikationerna', rec.resDifferences.length ? `${rec.resDifferences.length} ${rec.resDifferences.length === 1 ? 'konto skiljer sig' : 'konton skiljer sig'}` : 'Stämmer för varje konto'],
          ] as [string, string][],
          warnings: [
            ...rec.resDifferences.map((d) => `Konto ${d.account}${d.name ? ` ${d.name}` : ''}: #RES i filen är ${ore(BigInt(d.res.replace('.', '')))} kr men verifikationerna summerar till ${ore(BigInt(d.entries.replace('.', '')))} kr (skillnad ${ore(BigInt(d.difference.replace('.', '')))} kr).`),
            ...rec.warnings.map((w) => (/has no #ORGNR/.test(w) ? `${rec.file} anger inget organisationsnummer (#ORGNR), så det gick inte att pröva att det är förbundets bokföring.` : /gives no organisation number/.test(w) ? 'Förbundsfilen anger inget organisationsnummer (forbund.organisationNumber), så filens organisationsnummer kunde inte prövas.' : w)),
          ],
        }
      : undefined;

    // The matters the reviews took to the board, and where they are headed.
    const dnrs = reviews.map((x) => x.matter).filter((x): x is string => !!x);
    const matters = new Map((await prisma.matter.findMany({ where: { forbundId, dnr: { in: dnrs } }, include: { meeting: true } })).map((m) => [m.dnr, m]));

    const ceilingsOver = overview.projects.map((p) => ({
      name: p.name,
      ceiling: p.ceiling,
      reported: p.reportedCostsToDate === null ? 'Inga kostnader rapporterade' : `${formatKr(p.reportedCostsToDate)} t.o.m. ${svDate(p.reportedThrough!)}`,
      over: p.overCeiling ? `Ja, ${formatKr(p.reportedCostsToDate! - p.ceiling)} över` : 'Nej',
    }));

    const write = mayWrite(req);
    const options = GROUPS.map((g) => ({ group: g.heading, options: overview.lines.filter((l) => g.of(l.group)).map((l) => ({ key: l.key, name: l.name, amount: l.amount })) })).filter((g) => g.options.length);
    const view: MoneyView = {
      chrome: c,
      year,
      flash,
      throughText,
      horizons: horizons.map((h) => ({ heading: h.heading, month: h.month })),
      ...(aheadNote ? { aheadNote } : {}),
      groups,
      sums: [income, costs, result],
      result: {
        facts,
        ...(out ? { verdict: { within: !out.verdict.escalate, text: verdictSv(out.forecast.result.yearEnd, equity ?? null, out.policy, !out.verdict.escalate, throughTextOf(through), out.planned) } } : { note: 'Förbundsfilen har ingen finansieringspolicy (budget.policy), så ingen prognos görs och inget prövas mot policyn.' }),
      },
      warnings: overview.warnings.map(warningSv),
      projects: ceilingsOver,
      contributions: overview.contributions.map((x) => ({ name: contributionNameSv(x), percent: x.percent, perYear: x.perYear, perQuarter: x.perQuarter })),
      ...(overview.contributions.some((x) => x.basis === 'assumed-equal') ? { contributionsNote: 'Kommunernas fjärdedel är delad lika mellan dem: ett antagande, eftersom förbundsfilen inte anger varje kommuns andel (members[].share).' } : {}),
      ...(out && through > 0
        ? { materiality: { rule: `det största av ${String(materiality.percent).replace('.', ',')} % av radens budget och ${formatKr(materiality.minKr)}`, lines: material.map((l) => `${l.name} ${l.deviation > 0 ? '+' : '−'}${formatKr(Math.abs(l.deviation))} (gräns ${formatKr(l.threshold)})`) } }
        : {}),
      ...(noOutcome.length
        ? { withoutOutcome: { intro: `Raderna nedan har en budget men inget utfall t.o.m. ${MONTHS_SV[through - 1]}. Deras prognos bygger bara på budgeten, inte på bokföringen: kontrollera att deras konton är kopplade och bokförda.`, lines: noOutcome.map((l) => `${l.name}: budget ${formatKr(l.budget)}, prognos helår ${formatKr(l.yearEnd)}`) } }
        : {}),
      ...(reconciliation ? { reconciliation } : {}),
      mappingHref: `/admin/pengar/${year}/konton`,
      reviews: reviews.map((x) => {
        const m = x.matter ? matters.get(x.matter) : undefined;
        return {
          quarter: `Kvartal ${x.quarter}`,
          state: REVIEW_STATE_SV[x.status] ?? x.status,
          through: x.actualsThroughMonth ? MONTHS_SV[x.actualsThroughMonth - 1] : '–',
          yearEnd: x.yearEndResult === null ? '–' : formatKr(x.yearEndResult),
          policy: x.withinPolicy === null ? '–' : x.withinPolicy ? 'Inom' : 'Utanför',
          ...(x.matter
            ? { matter: { text: `Ja, ärende ${x.matter}${m ? ` ${m.title}` : ''}${m?.meeting ? `, ${m.meeting.title.toLowerCase()} ${svDate(meetingDate(m.meeting))}` : ''}`, ...(m?.meeting ? { href: `/admin/ar/${m.meeting.year}#mote-${m.meeting.id}` } : {}) } }
            : {}),
        };
      }),
      ...(out ? { downloads: { pdf: `/admin/pengar/${year}/uppfoljning.pdf`, csv: `/admin/pengar/${year}/uppfoljning.csv` } } : {}),
      ...(write
        ? {
            lineForm: { action: `/admin/pengar/${year}/budgetrad`, lines: options, values: form.line?.values ?? { line: '', amount: '' }, errors: form.line?.errors ?? {} },
            actualsForm: {
              action: `/admin/pengar/${year}/utfall`,
              problems: form.actuals?.problems ?? [],
              on: form.actuals?.on ?? 'fil',
              text: form.actuals?.text ?? '',
              lineKeys: overview.lines.map((l) => l.key),
              through: through ? `Utfall finns t.o.m. ${MONTHS_SV[through - 1]} ${year}.` : `Inget utfall är inlagt för ${year} ännu.`,
            },
          }
        : { readOnly: 'Budgeten och utfallet ändras av tjänstepersonen (eller ekonomen genom API:t); som sekreterare kan du läsa dem och ladda ned uppföljningen.' }),
      adoption: adoptionView(overview),
      samrad: samrad.html,
      errors: [
        ...samrad.errors,
        ...(form.line?.errors.line ? [{ href: '#budgetrad', text: form.line.errors.line }] : []),
        ...(form.line?.errors.amount ? [{ href: '#belopp', text: form.line.errors.amount }] : []),
        ...(form.actuals?.problems.length ? [{ href: form.actuals.on === 'text' ? '#utfallstext' : '#utfallsfil', text: `Utfallet kunde inte läsas in: ${form.actuals.problems.length === 1 ? form.actuals.problems[0] : `${form.actuals.problems.length} fel i filen.`}` }] : []),
      ],
    };
    html(res, status, moneyPage(view));
  }

  page(r, { method: 'get', path: '/pengar/:year', summary: "money: the year's budget lines grouped with outcome to date and forecast 3 and 6 months ahead and at year end, the result against the financing policy, the equity, the plan's warnings, the quarterly reviews; for the official forms to change a line and enter the outcome (Swedish HTML page; signed in with a session cookie as admin or secretary)", params: { year: 'calendar year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => renderMoney(req, res, yearOf(req)));

  page(r, { method: 'post', path: '/pengar/:year/budgetrad', summary: "change a budget line's amount (form fields line, amount), as PUT budget/:year/lines/:key; the official only; errors are shown next to the fields and nothing is changed (HTML form POST from this site; answers with a redirect)", params: { year: 'calendar year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const year = yearOf(req);
    writer(req, 'ändra budgeten');
    const form = formOf(req);
    const values = { line: (form.line ?? '').trim(), amount: (form.amount ?? '').trim() };
    const errors: LineError['errors'] = {};
    const line = values.line ? await prisma.budgetLine.findUnique({ where: { forbundId_year_key: { forbundId: fid(req), year, key: values.line } } }) : null;
    if (!values.line) errors.line = 'Välj vilken budgetrad som ska ändras.';
    else if (!line) errors.line = `Det finns ingen sådan budgetrad ${year}. Välj en rad i listan.`;
    const compact = values.amount.replace(/[\s\u00a0\u202f]/g, '').replace(/(kr|:-)$/i, '');
    if (!compact) errors.amount = 'Skriv det nya beloppet.';
    else if (/^[-−]/.test(compact)) errors.amount = 'Beloppet kan inte vara negativt. En kostnad skrivs också som ett positivt belopp.';
    else if (!/^\d+$/.test(compact)) errors.amount = 'Skriv beloppet i hela kronor med siffror, till exempel 1 210 000.';
    else if (Number(compact) > 1_000_000_000) errors.amount = 'Beloppet får vara högst 1 000 000 000 kronor.';
    if (errors.line || errors.amount) return renderMoney(req, res, year, 400, { line: { values, errors } });
    await changeBudgetLine(prisma, { forbundId: fid(req), year, key: line!.key, amount: Number(compact), actor: actor(req) });
    res.redirect(303, withDone(`/admin/pengar/${year}#budget`, 'budgetrad'));
  });

  page(r, { method: 'post', path: '/pengar/:year/utfall', summary: "enter the outcome from the bookkeeping's SIE 4 file or a CSV file (multipart form: file field fil, or CSV pasted in field csv), as POST actuals/:year/sie or /csv; the official only; every problem is shown (per line of the file) and nothing is stored (HTML form POST from this site; answers with a redirect)", params: { year: 'calendar year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const year = yearOf(req);
    writer(req, 'lägga in utfall');
    let form;
    try {
      form = await multipartOf(req, res, UPLOAD_LIMIT_BYTES);
    } catch (err) {
      if (!(err instanceof MultipartError)) throw err;
      const problem = err.status === 413 ? `Filen är för stor: högst ${UPLOAD_LIMIT_TEXT}.` : 'Formuläret kom inte fram som det skulle. Välj filen igen och skicka på nytt.';
      return renderMoney(req, res, year, err.status === 413 ? 413 : 400, { actuals: { problems: [problem], on: 'fil', text: '' } });
    }
    const file = form.files.fil;
    const pasted = (form.fields.csv ?? '').trim();
    const hasFile = !!file && file.data.length > 0;
    if (!hasFile && !pasted) {
      return renderMoney(req, res, year, 400, { actuals: { problems: [file?.filename ? `Filen ${file.filename} är tom.` : 'Välj en fil från bokföringen, eller klistra in utfallet som CSV.'], on: 'fil', text: '' } });
    }
    if (hasFile && pasted) {
      return renderMoney(req, res, year, 400, { actuals: { problems: ['Välj en fil eller klistra in text, inte båda.'], on: 'fil', text: form.fields.csv ?? '' } });
    }
    const on: ActualsError['on'] = hasFile ? 'fil' : 'text';
    const name = (hasFile ? file!.filename : 'inklistrad text').slice(0, 100) || 'utfall';
    try {
      const known = (await prisma.budgetLine.findMany({ where: { forbundId: fid(req), year }, select: { key: true } })).map((l) => l.key);
      if (!known.length) throw new PageError(404, 'Det finns ingen budget', [`Det finns ingen budget för ${year}, så inget utfall kan läggas in.`]);
      // A SIE file's lines start with #labels; anything else is read as CSV.
      const isSie = hasFile && (/\.(se|si|sie)$/i.test(name) || /^(\uFEFF)?\s*#[A-Z]/.test(file!.data.subarray(0, 200).toString('latin1')));
      if (isSie) {
        const sie = await sieActuals(prisma, fid(req), year, file!.data, name);
        await storeActuals(deps, { forbundId: fid(req), year, rows: sie.rows, source: `sie:${name}`, actor: actor(req), sie: sie.facts });
      } else {
        const text = hasFile ? csvTextOf(file!.data) : form.fields.csv ?? '';
        const { rows } = await csvActuals(text, name, year, known);
        await storeActuals(deps, { forbundId: fid(req), year, rows, source: `csv:${name}`, actor: actor(req) });
      }
    } catch (err) {
      if (err instanceof Refusal && err.status !== 404) {
        const problems = err.problems.length ? err.problems.map((p) => p.sv) : [err.sv];
        return renderMoney(req, res, year, 400, { actuals: { problems, on, text: on === 'text' ? form.fields.csv ?? '' : '' } });
      }
      throw err;
    }
    res.redirect(303, withDone(`/admin/pengar/${year}#budget`, 'utfall'));
  });

  page(r, { method: 'post', path: '/pengar/:year/samrad', summary: "start the samråd with the members on the year's budget (form fields replyBy, message), as POST budget-consultations/:year; the official only; errors are shown next to the fields and nothing is stored (HTML form POST from this site; answers with a redirect)", params: { year: 'the budget year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const year = yearOf(req);
    onlyOfficial(req, 'starta samrådet om budgeten');
    const f = formOf(req);
    const values = { replyBy: (f.replyBy ?? '').trim(), message: f.message ?? '' };
    try {
      const r = await startConsultation(deps, fid(req), year, { replyBy: values.replyBy, ...(values.message.trim() ? { message: values.message } : {}) }, actor(req), deps.now());
      res.redirect(303, withDone(`/admin/pengar/${year}#samrad`, 'samrad-startat', { later: !r.workflowNotified }));
    } catch (err) {
      const errors = samradErrorsOf(err);
      if (errors) return renderMoney(req, res, year, 400, { samrad: { start: { values, errors } } });
      throw err instanceof Refusal ? new PageError(err.status, 'Det går inte', [err.sv, 'Inget har ändrats.']) : err;
    }
  });

  page(r, { method: 'post', path: '/pengar/:year/samrad/svar', summary: "record a member's reply in the samråd on the year's budget (form fields memberKey, repliedOn, reply), as PUT budget-consultations/:year/members/:memberKey; recorded again it replaces the earlier reply; the official only; errors are shown next to the fields (HTML form POST from this site; answers with a redirect)", params: { year: 'the budget year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const year = yearOf(req);
    onlyOfficial(req, 'registrera medlemmarnas svar');
    const f = formOf(req);
    const values = { memberKey: (f.memberKey ?? '').trim(), repliedOn: (f.repliedOn ?? '').trim(), reply: f.reply ?? '' };
    if (!values.memberKey) return renderMoney(req, res, year, 400, { samrad: { reply: { values, errors: { memberKey: 'Välj vilken medlem som har svarat.' } } } });
    try {
      await recordReply(deps, fid(req), year, values.memberKey, { repliedOn: values.repliedOn, reply: values.reply }, actor(req), deps.now());
      res.redirect(303, withDone(`/admin/pengar/${year}#samrad`, 'samrad-svar'));
    } catch (err) {
      const errors = samradErrorsOf(err) ?? (err instanceof Refusal && err.status === 404 ? { memberKey: err.sv } : undefined);
      if (errors) return renderMoney(req, res, year, 400, { samrad: { reply: { values, errors } } });
      throw err;
    }
  });

  page(r, { method: 'get', path: '/pengar/:year/rader/:key', summary: "a budget line traced to the bookkeeping, as GET actuals/:year/lines/:key: the accounts the förbund file maps to it, and from the latest SIE file each account's outcome and its verifications (Swedish HTML page; signed in as admin or secretary)", params: { year: 'calendar year, four digits', key: 'the line id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const year = yearOf(req);
    const d = await lineDrillDown(prisma, fid(req), year, String(req.params.key));
    if (!d) throw new PageError(404, 'Raden finns inte', [`Det finns ingen budgetrad ”${String(req.params.key).slice(0, 100)}” ${year}.`]);
    const c = await chrome(req, res, 'other');
    const month = (m: number) => (m ? MONTHS_SV[m - 1] : '–');
    const facts: [string, string][] = [
      ['Budget', formatKr(d.line.budget)],
      [`Utfall t.o.m. ${month(d.stored.through)}`, d.stored.through ? formatKr(d.stored.toDate) : 'Inget utfall ännu'],
      ['Konton enligt förbundsfilen', d.accounts.length ? d.accounts.join(', ') : 'Inga: förbundsfilen kopplar inget konto till raden (budget.accounts)'],
    ];
    const notes: string[] = [];
    if (!d.sie) notes.push(`Ingen SIE-fil är inläst för ${year}, så det finns inga konton och verifikationer att visa.`);
    else {
      facts.push(['Bokföringen', `${d.sie.file}, t.o.m. ${month(d.sie.through)}: ${formatKr(d.sie.totalKr)}`]);
      if (!d.sie.matchesStored) notes.push(`Utfallet som ligger inne för raden (${formatKr(d.stored.toDate)}) är inte det filen ger (${formatKr(d.sie.totalKr)}): det har ändrats efter att filen lästes in (CSV eller API).`);
      if (!d.sie.accounts.length) notes.push(`Inget konto i ${d.sie.file} hamnade på raden.`);
      if (d.sie.vouchersLeftOut) notes.push(`Filen hade fler verifikationsrader än vad som sparas (${d.sie.vouchersLeftOut} till visas inte); se bokföringen för resten.`);
    }
    html(
      res,
      200,
      moneyLinePage({
        chrome: c,
        year,
        name: d.line.name,
        back: `/admin/pengar/${year}#budget`,
        mappingHref: `/admin/pengar/${year}/konton`,
        facts,
        notes,
        accounts: (d.sie?.accounts ?? []).map((a) => ({
          account: a.account,
          name: a.name ?? '',
          amount: ore(BigInt(a.amountOre)),
          vouchers: a.vouchers.map((v) => ({ ver: [v.series, v.number].filter(Boolean).join(' ') || '–', date: svDate(v.date), text: v.text, amount: ore(v.amountOre) })),
        })),
      }),
    );
  });

  page(r, { method: 'get', path: '/pengar/:year/konton', summary: "the mapping from accounts to budget lines on one page, as GET accounts/:year (Swedish HTML page; signed in as admin or secretary)", params: { year: 'calendar year, four digits' }, response: { contentType: 'text/html' } }, async (req, res) => {
    const year = yearOf(req);
    const m = await accountMap(prisma, fid(req), year);
    if (!m) throw new PageError(404, 'Ingen budget', [`Det finns ingen budget för ${year}.`]);
    const c = await chrome(req, res, 'other');
    html(
      res,
      200,
      moneyAccountsPage({
        chrome: c,
        year,
        back: `/admin/pengar/${year}#budget`,
        intro: `Vilka konton i bokföringen som räknas till varje budgetrad, enligt förbundsfilen (budget.accounts; ett konto hör till den första raden vars konton det matchar). ${m.file ? `Kontona i bokföringen är de i ${m.file.name}, utfall t.o.m. ${m.file.through ? MONTHS_SV[m.file.through - 1] : '–'}.` : `Ingen SIE-fil är inläst för ${year} ännu.`}`,
        lines: m.lines.map((l) => ({ name: l.name, href: `/admin/pengar/${year}/rader/${encodeURIComponent(l.key)}`, patterns: l.accounts.length ? l.accounts.join(', ') : 'Inga konton', seen: l.seen.length ? l.seen.map((x) => `${x.account}${x.name ? ` ${x.name}` : ''} (${formatKr(x.amountKr)})`).join('; ') : '–' })),
        unmapped: m.unmapped.map((u) => `${u.account}${u.name ? ` ${u.name}` : ''}: ${formatKr(u.amountKr)}`),
        unmappedNote: 'Resultatkonton i filen med utfall som ingen budgetrad tar: de räknas inte i utfallet. Koppla dem till en rad i förbundsfilen (budget.accounts).',
      }),
    );
  });

  async function facts(req: Request) {
    const year = yearOf(req);
    const f = await followUpFacts(prisma, fid(req), year);
    if (!f) throw new PageError(404, 'Ingen uppföljning', [`Det finns ingen budget med finansieringspolicy för ${year}, så ingen budgetuppföljning kan göras.`]);
    return f;
  }
  page(r, { method: 'get', path: '/pengar/:year/uppfoljning.pdf', summary: 'the budget follow-up for the board as PDF, the same document as GET budget/:year/follow-up.pdf (signed in with a session cookie as admin or secretary)', params: { year: 'calendar year, four digits' }, response: { contentType: 'application/pdf' } }, async (req, res) => {
    const f = await facts(req);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="budgetuppfoljning-${f.year}.pdf"`).send(await followUpPdf(f));
  });
  page(r, { method: 'get', path: '/pengar/:year/uppfoljning.csv', summary: 'the budget follow-up as a spreadsheet (CSV, `;`, UTF-8 with BOM), the same as GET budget/:year/follow-up.csv (signed in with a session cookie as admin or secretary)', params: { year: 'calendar year, four digits' }, response: { contentType: 'text/csv' } }, async (req, res) => {
    const f = await facts(req);
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="budgetuppfoljning-${f.year}.csv"`).send(followUpCsv(f));
  });
}
