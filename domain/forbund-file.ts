/**
 * The förbund file: a human-editable YAML (or JSON) description of one
 * samordningsförbund — members, people, bodies, reporting policy, projects,
 * the governance year and (optionally) the budget with the financing policy.
 * See examples/*.yaml and examples/forbund.schema.json.
 *
 * parseForbundFile() parses, validates against the JSON Schema (ajv, all
 * errors), applies the checks a schema cannot express (references, unique ids,
 * real calendar dates, shares, periods, the board roster, the budget's lines and
 * account mapping), and fills in defaults. Budget totals that do not add up are
 * not errors here: the import reports them (domain/budget.ts). Any problem
 * throws ForbundFileError listing every problem as `file:path: message`.
 *
 * The schema is imported as JSON. Not meant for Temporal workflow code (ajv
 * compiles code at runtime), but for the import CLI and the API.
 */
import Ajv, { type ErrorObject } from 'ajv';
import { isNode, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Parser, type Document } from 'yaml';
import schema from '../examples/forbund.schema.json' with { type: 'json' };
import type { BudgetLineGroup, MoneyPolicy, StatedTotals } from './budget.js';
import { screenValue } from './fritext.js';
import { daysInMonth, isIsoDate, resolveDateRule, type DateRule, type IsoDate, type WeekdayName } from './dates.js';
import { REPORT_KINDS, type ReportKind } from './rapportering.js';

export { REPORT_KINDS, type ReportKind };

// ---------------------------------------------------------------------------
// Types of the parsed file (after defaults)
// ---------------------------------------------------------------------------

export type MemberKind = 'municipality' | 'region' | 'forsakringskassan' | 'arbetsformedlingen';
export type PersonRole = 'official' | 'secretary' | 'economist' | 'board_member' | 'coordinator' | 'auditor';
export type BodyKey = 'styrelse' | 'presidium' | 'beredningsgrupp';
export type BodyRole = 'chair' | 'vice_chair' | 'member' | 'deputy';
/** `beredning` = the presidium's preparation of the board agenda. */
export type MeetingBody = BodyKey | 'beredning';
export type ProjectStatus = 'active' | 'withdrawn';
/** Roles a milestone owner may name instead of a person id. `chair` = the styrelse member with role chair. */
export type OwnerRole = 'official' | 'secretary' | 'economist' | 'chair';

export const OWNER_ROLES: readonly OwnerRole[] = ['official', 'secretary', 'economist', 'chair'];
export const KNOWN_MILESTONES = [
  'bokslut',
  'budgetDialogue',
  'halfYearReports',
  'delar',
  'budgetFollowUp',
  'vpBudget',
  'nextCalendar',
  'stateAllocation',
  'attestReview',
] as const;
export type KnownMilestoneKey = (typeof KNOWN_MILESTONES)[number];

export interface PlanInfo {
  title?: string;
  dnr?: string;
  date?: IsoDate;
  adopted?: IsoDate;
}

export interface ForbundInfo {
  /** Slug, e.g. 'sydnarke'. */
  id: string;
  name: string;
  organisationNumber?: string;
  /** Organizer of invites and sender of mail. */
  email: string;
  /** The year the plan describes. */
  year: number;
  /** The day the förbund starts in Årscykel (default: its first import); nothing due before it is reminded, escalated or registered. */
  goLive?: IsoDate;
  plan?: PlanInfo;
}

export interface Member {
  id: string;
  name: string;
  kind: MemberKind;
  /** Percent of funding. */
  share?: number;
  /** Kronor per year. */
  contribution?: number;
  /** The member organisation's registrator: where the board's decisions are sent. */
  email?: string;
}

export interface Person {
  id: string;
  name: string;
  email: string;
  organisation?: string;
  roles: PersonRole[];
  /** For a revisor: the members that appointed them. */
  appointedBy?: string[];
}

export interface BodyMembership {
  person: string;
  /** Default 'member'. member, chair and vice_chair are ledamöter; deputy = ersättare. */
  role: BodyRole;
  /** The funding member represented (required for an ersättare in the styrelse). */
  member?: string;
  /** Ersättare only: their place in the order in which ersättare are called in (1 first), unique in the body. */
  order?: number;
  /** The mandatperiod: the seat is held from and to these days (both included); an end left out is open. */
  period?: RosterPeriod;
}

export interface RosterPeriod {
  from?: IsoDate;
  to?: IsoDate;
}

export interface Body {
  name?: string;
  members: BodyMembership[];
}

export interface Bodies {
  styrelse: Body;
  presidium?: Body;
  beredningsgrupp?: Body;
}

export interface ReportKindPolicy {
  /** Due this many days after the period ends. */
  dueDays: number;
}

export interface FinancialReportPolicy extends ReportKindPolicy {
  /** Months (1–12) whose last day ends a financial reporting period. */
  months: number[];
}

export interface ReportingPolicy {
  /** Enabled kinds only; a missing kind is switched off. */
  kinds: {
    quarterly?: ReportKindPolicy;
    halfYear?: ReportKindPolicy;
    annual?: ReportKindPolicy;
    final?: ReportKindPolicy;
    financial?: FinancialReportPolicy;
  };
  /** Days before the due date, sorted descending, e.g. [14, 3, 0]. */
  reminders: number[];
  overdue: { reminderDaysAfter: number; escalateDaysAfter: number };
}

export interface Project {
  id: string;
  name: string;
  dnr?: string;
  huvudman?: string;
  /**
   * What the project is for, as the public reads it on the project's page (/forbund/:slug/insatser/:key):
   * free text, a sentence or a few paragraphs (blank lines between them), screened like all free text.
   */
  purpose?: string;
  /** Person id (a person with role coordinator). */
  coordinator: string;
  start: IsoDate;
  end: IsoDate;
  /** Ceiling in kronor per budget year, keyed by 4-digit year ('2016'). */
  grants: Record<string, number>;
  goals: string[];
  /** The kinds this project reports (default: all kinds of the policy). */
  reports: ReportKind[];
  status: ProjectStatus;
  note?: string;
  /**
   * A conditional start, one line (at most 300 characters): the project starts only when an outside
   * decision is made (Nedansiljan's SESAM). No reports are planned until the official records that
   * the condition is met (POST projects/:key/condition-met).
   */
  startCondition?: string;
}

export interface Meeting {
  id: string;
  body: MeetingBody;
  /** Exactly one of date and rule is set. */
  date?: IsoDate;
  rule?: DateRule;
  /** 'HH:MM', filled from cycle.defaults. */
  start: string;
  end: string;
  location?: string;
  /** For preparatory meetings: the styrelse meeting they prepare. */
  for?: string;
  title?: string;
}

export interface PlanningDay {
  id: string;
  title: string;
  /** Exactly one of date and rule is set. */
  date?: IsoDate;
  rule?: DateRule;
  /** Without start the event is a whole day. */
  start?: string;
  end?: string;
  location?: string;
}

export interface Milestone {
  /** Exactly one of meeting and due is set. */
  meeting?: string;
  due?: IsoDate;
  /** A role (official, secretary, economist, chair) or a person id. */
  owner: string;
  title?: string;
}

export interface PreparationPolicy {
  beredningsgruppDaysBefore: number;
  beredningDaysBefore: number;
}

export interface Cycle {
  defaults: { start: string; end: string; location?: string };
  kallelseDays: number;
  /**
   * The secretary is reminded of a kallelse this many Swedish working days before the day it
   * must go out (0 = on that day). Filled in by the parser; settings stored before it existed
   * lack it (then DEFAULT_KALLELSE_REMINDER_DAYS applies).
   */
  kallelseReminderDays?: number;
  /** The minutes are to be justerade this many days after the meeting (on a working day). Absent in settings stored before it existed (then DEFAULT_JUSTERING_DAYS applies). */
  justeringDays?: number;
  /** "MM-DD" of the year after the one reported on: the members are asked to decide on ansvarsfrihet by then (domain/redovisning.ts dischargeReplyBy; default 06-30). */
  dischargeReplyBy?: string;
  /** No longer used: a board meeting's workflow invites each ledamot holding a seat. Kept so older files still read. */
  inviteBoardMembers: boolean;
  /** false = the calendar is complete; plan no preparatory meetings automatically. */
  preparation: PreparationPolicy | false;
  meetings: Meeting[];
  planningDays: PlanningDay[];
  /**
   * The milestones the förbund wants, as written in the file. Only the milestones named here
   * are planned: a file that names none has none. true = a known milestone (KNOWN_MILESTONES)
   * placed by the engine's default (which depends on the calendar, so it is not filled in
   * here); false or absent = not planned. Keys outside KNOWN_MILESTONES are the förbund's own
   * and always have a title.
   */
  milestones: Record<string, Milestone | boolean>;
}

/** An income line of a budget year: the members' contributions (one line for all, or one per member) or other income. */
export interface BudgetIncomeLineFile {
  /** Unique among the year's lines; the same id for the same line in every year. */
  id: string;
  name: string;
  group: Extract<BudgetLineGroup, 'members' | 'other_income'>;
  /** Whole kronor. */
  amount: number;
  /** A members line for one member's contribution: the member's id. */
  member?: string;
}

/** A cost line of a budget year: administration (staff, board fees, audit, …) or a project's grant. */
export interface BudgetCostLineFile {
  id: string;
  name: string;
  group: Extract<BudgetLineGroup, 'administration' | 'project'>;
  /** Whole kronor, written positive (the seeds' "- 67 000 kr" is 67000). */
  amount: number;
  /** The project the line pays (a project line without one is a pool, e.g. "Övriga ansökningsbara"). */
  project?: string;
}

export interface BudgetYearFile {
  income: BudgetIncomeLineFile[];
  costs: BudgetCostLineFile[];
  /** Equity at the start of the year, carried over from the year before (kronor, may be negative). */
  equityCarriedOver?: number;
  /** The totals the plan states for itself; an import reports where they disagree with the lines. */
  stated?: StatedTotals;
}

/** BAS accounts (for SIE) whose outcome counts for a budget line: "3010", a range "4000-4099" or a prefix "4*". */
export interface AccountMapping {
  line: string;
  accounts: string[];
}

export interface BudgetSection {
  /** Keyed by 4-digit year ('2016'): usually the plan year and the two after it. */
  years: Record<string, BudgetYearFile>;
  /** The financing policy; without it none is checked. */
  policy?: MoneyPolicy;
  /** Default []. */
  accounts: AccountMapping[];
}

export interface ForbundFile {
  forbund: ForbundInfo;
  members: Member[];
  people: Person[];
  bodies: Bodies;
  reporting: ReportingPolicy;
  projects: Project[];
  cycle: Cycle;
  /** The budget, the financing policy and the account mapping (optional). */
  budget?: BudgetSection;
}

// ---------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------

export const DEFAULT_DUE_DAYS: Readonly<Record<ReportKind, number>> = {
  quarterly: 15,
  halfYear: 20,
  annual: 31,
  final: 60,
  financial: 15,
};
export const DEFAULT_FINANCIAL_MONTHS: readonly number[] = [3, 6, 9, 12];
/** Kinds switched on when a file has no `reporting.kinds` (001: kvartal, delår, slutredovisning). */
export const DEFAULT_REPORT_KINDS: readonly ReportKind[] = ['quarterly', 'halfYear', 'final'];
export const DEFAULT_REMINDERS: readonly number[] = [14, 3, 0];
export const DEFAULT_OVERDUE = { reminderDaysAfter: 1, escalateDaysAfter: 7 } as const;
export const DEFAULT_MEETING_TIME = { start: '09:00', end: '12:00' } as const;
export const DEFAULT_KALLELSE_DAYS = 7;
/** Working days before the kallelse must go out on which the secretary is reminded, by default. */
export const DEFAULT_KALLELSE_REMINDER_DAYS = 3;
/** Days after a board meeting by which its minutes are to be justerade. */
export const DEFAULT_JUSTERING_DAYS = 14;
export const DEFAULT_PREPARATION: Readonly<PreparationPolicy> = { beredningsgruppDaysBefore: 21, beredningDaysBefore: 14 };

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

export interface ForbundFileIssue {
  /** The file name given to the parser. */
  file: string;
  /**
   * JSON-pointer-like path inside the file, e.g. '/projects/2/coordinator';
   * '/' is the whole file. YAML syntax errors use 'LINE:COLUMN' instead.
   */
  path: string;
  /** Plain English, naming the problem. */
  message: string;
  /** 1-based line in the file where the path is (or the nearest existing parent), when known. */
  line?: number;
}

export class ForbundFileError extends Error {
  readonly errors: ForbundFileIssue[];
  constructor(errors: ForbundFileIssue[]) {
    super(errors.map((e) => `${e.file}:${e.path}: ${e.message}`).join('\n'));
    this.name = 'ForbundFileError';
    this.errors = errors;
  }
}

// ---------------------------------------------------------------------------
// Schema validation
// ---------------------------------------------------------------------------

export const forbundFileSchema: unknown = schema;

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, verbose: true });
const validateSchema = ajv.compile(schema);

/** Human descriptions of the schema's patterns, by definition name or by the pattern itself. */
const PATTERN_TEXT: Record<string, string> = {
  slug: 'an id of lowercase letters a-z, digits and single hyphens (e.g. "kumla-kommun")',
  date: 'a date YYYY-MM-DD',
  time: 'a time HH:MM (24-hour)',
  email: 'an e-mail address',
  '^[0-9]{6}-[0-9]{4}$': 'an organisationsnummer NNNNNN-NNNN',
  '^[0-9]{4}$': 'a 4-digit year',
  '^[a-z][A-Za-z0-9]*$': 'a camelCase name (letters and digits, starting with a lowercase letter)',
  account: 'a BAS account ("3010"), a range of accounts of the same length ("4000-4099") or a prefix ("4*")',
};

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v);
  return `${typeof v} ${String(v)}`;
}

function article(type: string): string {
  const name = type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

function joinPointer(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function ajvIssue(e: ErrorObject): { path: string; message: string } | null {
  const p = e.params as Record<string, unknown>;
  const got = describeValue(e.data);
  switch (e.keyword) {
    case 'required':
      return { path: joinPointer(e.instancePath, String(p.missingProperty)), message: `missing required property "${String(p.missingProperty)}"` };
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        path: joinPointer(e.instancePath, String(p.additionalProperty)),
        message: `unknown property "${String(p.additionalProperty)}"` + (allowed.length ? `; allowed: ${allowed.join(', ')}` : ''),
      };
    }
    case 'propertyNames':
      return null; // the inner error (with propertyName) says it better
    case 'pattern': {
      const def = /#\/definitions\/([A-Za-z]+)\/pattern$/.exec(e.schemaPath)?.[1];
      const what = (def && PATTERN_TEXT[def]) ?? PATTERN_TEXT[String(p.pattern)] ?? `text matching ${String(p.pattern)}`;
      const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
      if (propertyName !== undefined) {
        return { path: joinPointer(e.instancePath, propertyName), message: `key "${propertyName}" must be ${what}` };
      }
      return { path: e.instancePath, message: `must be ${what} (got ${got})` };
    }
    case 'enum':
      return { path: e.instancePath, message: `must be one of: ${(p.allowedValues as unknown[]).join(', ')} (got ${got})` };
    case 'type': {
      const types = String(p.type).split(',');
      const wanted = types.map((t) => (t === 'boolean' ? 'false' : article(t))).join(' or ');
      return { path: e.instancePath, message: `must be ${wanted} (got ${got})` };
    }
    case 'minimum':
      return { path: e.instancePath, message: `must be at least ${String(p.limit)} (got ${got})` };
    case 'maximum':
      return { path: e.instancePath, message: `must be at most ${String(p.limit)} (got ${got})` };
    case 'minItems':
      return { path: e.instancePath, message: `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}` };
    case 'uniqueItems':
      return { path: e.instancePath, message: `must not list the same value twice (items ${String(p.j)} and ${String(p.i)})` };
    case 'minLength':
      return { path: e.instancePath, message: p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters` };
    case 'maxLength':
      return { path: e.instancePath, message: `must be at most ${String(p.limit)} characters (got ${String((e.data as string).length)})` };
    case 'not':
      return { path: e.instancePath, message: `value ${got} is not allowed here` };
    default:
      return { path: e.instancePath, message: e.message ?? `fails ${e.keyword}` };
  }
}

// ---------------------------------------------------------------------------
// Raw shape (what the schema guarantees)
// ---------------------------------------------------------------------------

interface RawBody {
  name?: string;
  members: { person: string; role?: BodyRole; member?: string; order?: number; period?: { from?: string; to?: string } }[];
}
interface RawMilestone {
  meeting?: string;
  due?: string;
  owner: string;
  title?: string;
}
interface RawDated {
  id: string;
  date?: string;
  rule?: DateRule;
  start?: string;
  end?: string;
  location?: string;
  title?: string;
}
/** The longest purpose of a project (as examples/forbund.schema.json says). */
export const PURPOSE_MAX = 4000;

interface RawFile {
  forbund: ForbundInfo;
  members: Member[];
  people: Person[];
  bodies: { styrelse: RawBody; presidium?: RawBody; beredningsgrupp?: RawBody };
  reporting?: {
    kinds?: Partial<Record<ReportKind, { dueDays?: number; months?: number[] }>>;
    reminders?: number[];
    overdue?: { reminderDaysAfter?: number; escalateDaysAfter?: number };
  };
  projects: (Omit<Project, 'start' | 'end' | 'grants' | 'goals' | 'reports' | 'status'> & {
    start?: string;
    end?: string;
    grants?: Record<string, number>;
    goals?: string[];
    reports?: ReportKind[];
    status?: ProjectStatus;
  })[];
  cycle: {
    defaults?: { start?: string; end?: string; location?: string };
    kallelseDays?: number;
    kallelseReminderDays?: number;
    justeringDays?: number;
    dischargeReplyBy?: string;
    inviteBoardMembers?: boolean;
    preparation?: Partial<PreparationPolicy> | boolean;
    meetings: (RawDated & { body: MeetingBody; for?: string })[];
    planningDays?: (RawDated & { title: string })[];
    milestones?: Record<string, RawMilestone | boolean>;
  };
  budget?: {
    years: Record<string, BudgetYearFile>;
    policy?: MoneyPolicy;
    accounts?: AccountMapping[];
  };
}

// ---------------------------------------------------------------------------
// Semantic checks
// ---------------------------------------------------------------------------

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function dateProblem(value: string): string | null {
  const valid: boolean = isIsoDate(value); // (not a type guard here: keep `value` a string)
  if (valid) return null;
  const [y, m, d] = value.split('-').map(Number);
  if (m < 1 || m > 12) return `${value} is not a calendar date (month ${m} does not exist)`;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > days) return `${value} is not a calendar date (${MONTHS_EN[m - 1]} ${y} has ${days} days)`;
  return `${value} is not a calendar date`;
}

/**
 * A grant is money for a budget year of the project: a grant year after the year the project
 * ends is a mistake (a project gets no money after it has ended). A year before the start is
 * allowed (a project may be financed from an earlier year's budget, as Drop-outs in 001).
 * `defaultEndOf`: the plan year, when the end is the default (end of the plan year).
 */
export function grantYearProblem(grantYear: string, end: IsoDate, defaultEndOf?: number): string | null {
  const endYear = Number(end.slice(0, 4));
  if (Number(grantYear) <= endYear) return null;
  const endText = defaultEndOf === undefined ? `ends ${end}` : `ends ${end} (default: end of ${defaultEndOf}; the project gives no end)`;
  return `grant for ${grantYear} is after the project's end: the project ${endText}; move the end or remove the grant`;
}

function list(values: Iterable<string>): string {
  const a = [...values];
  return a.length ? a.join(', ') : '(none)';
}

const roleText = (role: BodyRole | undefined) => (role === undefined ? '"member" (the default)' : `"${role}"`);
const periodText = (p: { from?: string; to?: string } | undefined) => `${p?.from ?? '(open)'} – ${p?.to ?? '(open)'}`;

/**
 * The roster of a body: ledamöter (chair, vice_chair, member) and ersättare (deputy), their
 * calling-in order and mandatperiods. In the styrelse every member organisation has its ledamot
 * and ersättare (001, 003): an ersättare names the member it represents, and a member
 * has one ledamot at a time.
 */
function rosterIssues(key: BodyKey, body: RawBody, memberIds: Set<string>, add: (path: string, message: string) => void): void {
  const orders = new Map<number, { person: string; i: number }>();
  /** Ledamöter with a usable period, by member represented. */
  const ledamoter = new Map<string, { person: string; i: number; from: string; to: string; period?: { from?: string; to?: string } }[]>();
  body.members.forEach((m, i) => {
    const path = `/bodies/${key}/members/${i}`;
    const deputy = m.role === 'deputy';
    if (m.order !== undefined) {
      if (!deputy) {
        add(`${path}/order`, `order is only for ersättare (role deputy): it is the order in which they are called in; this one has role ${roleText(m.role)}`);
      } else {
        const first = orders.get(m.order);
        if (first) add(`${path}/order`, `order ${m.order} is already held by ersättare "${first.person}" (item ${first.i}); each ersättare in ${key} needs a place of its own in the calling-in order`);
        else orders.set(m.order, { person: m.person, i });
      }
    }
    let usable = true;
    for (const end of ['from', 'to'] as const) {
      const value = m.period?.[end];
      const problem = value === undefined ? null : dateProblem(value);
      if (problem) {
        add(`${path}/period/${end}`, problem);
        usable = false;
      }
    }
    const { from, to } = m.period ?? {};
    if (usable && from !== undefined && to !== undefined && to < from) {
      add(`${path}/period/to`, `the mandatperiod ends (${to}) before it starts (${from})`);
      usable = false;
    }
    if (key !== 'styrelse') return;
    if (deputy && m.member === undefined) {
      add(`${path}/member`, `missing member: an ersättare in the styrelse stands in for a member organisation's ledamot; give the member it represents (known: ${list(memberIds)})`);
    }
    if (!deputy && m.member !== undefined && usable) {
      const same = ledamoter.get(m.member) ?? [];
      const other = same.find((x) => x.from <= (to ?? '9999-12-31') && (from ?? '0000-01-01') <= x.to);
      if (other) {
        add(
          `${path}/member`,
          `member "${m.member}" already has a ledamot in the styrelse for an overlapping mandatperiod: "${other.person}" (item ${other.i}, ${periodText(other.period)}; this one ${periodText(m.period)}); a member organisation has one ledamot at a time, its other representatives are ersättare (role deputy)`,
        );
      }
      same.push({ person: m.person, i, from: from ?? '0000-01-01', to: to ?? '9999-12-31', period: m.period });
      ledamoter.set(m.member, same);
    }
  });
}

function semanticIssues(raw: RawFile): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const year = raw.forbund.year;

  const checkDate = (path: string, value: string | undefined) => {
    if (value === undefined) return;
    const problem = dateProblem(value);
    if (problem) add(path, problem);
  };
  const uniqueIds = <T extends { id: string }>(items: { item: T; path: string }[], what: string) => {
    const seen = new Map<string, string>();
    for (const { item, path } of items) {
      const first = seen.get(item.id);
      if (first !== undefined) add(`${path}/id`, `duplicate ${what} id "${item.id}" (already used at ${first})`);
      else seen.set(item.id, path);
    }
  };

  // forbund
  checkDate('/forbund/goLive', raw.forbund.goLive);
  checkDate('/forbund/plan/date', raw.forbund.plan?.date);
  checkDate('/forbund/plan/adopted', raw.forbund.plan?.adopted);

  // unique ids
  uniqueIds(raw.members.map((item, i) => ({ item, path: `/members/${i}` })), 'member');
  uniqueIds(raw.people.map((item, i) => ({ item, path: `/people/${i}` })), 'person');
  uniqueIds(raw.projects.map((item, i) => ({ item, path: `/projects/${i}` })), 'project');
  const planningDays = raw.cycle.planningDays ?? [];
  uniqueIds<{ id: string }>(
    [
      ...raw.cycle.meetings.map((item, i) => ({ item, path: `/cycle/meetings/${i}` })),
      ...planningDays.map((item, i) => ({ item, path: `/cycle/planningDays/${i}` })),
    ],
    'meeting',
  );

  const memberIds = new Set(raw.members.map((m) => m.id));
  const people = new Map(raw.people.map((p) => [p.id, p]));
  const personIds = [...people.keys()];
  const hasRole = (role: PersonRole) => raw.people.some((p) => p.roles.includes(role));

  // shares
  const shares = raw.members.map((m) => m.share);
  const given = shares.filter((s): s is number => s !== undefined);
  const sum = Math.round(given.reduce((a, b) => a + b, 0) * 1000) / 1000;
  if (given.length === raw.members.length && Math.abs(sum - 100) > 0.01) {
    add('/members', `member shares sum to ${sum}, not 100`);
  } else if (given.length < raw.members.length && sum > 100.01) {
    add('/members', `member shares already sum to ${sum}, more than 100`);
  }

  // required roles
  if (!hasRole('official')) add('/people', 'no person has role "official"; the verkställande tjänsteman is required');
  if (!hasRole('secretary')) add('/people', 'no person has role "secretary"; the board secretary is required');
  // A revisor's appointing members (seed 001: one revisor chosen jointly by FK and AF, one by the region, one by the municipalities).
  raw.people.forEach((p, i) => {
    if (!p.appointedBy?.length) return;
    if (!p.roles.includes('auditor')) add(`/people/${i}/appointedBy`, `only a revisor is appointed by members: give person "${p.id}" the role "auditor", or leave appointedBy out`);
    p.appointedBy.forEach((m, j) => {
      if (!memberIds.has(m)) add(`/people/${i}/appointedBy/${j}`, `no member with id "${m}"`);
    });
  });
  if (raw.cycle.dischargeReplyBy) {
    const [mm, dd] = raw.cycle.dischargeReplyBy.split('-').map(Number);
    if (dd > daysInMonth(2027, mm)) add('/cycle/dischargeReplyBy', `${raw.cycle.dischargeReplyBy} is not a day of the year (month ${mm} has ${daysInMonth(2027, mm)} days)`);
  }

  // bodies
  for (const key of ['styrelse', 'presidium', 'beredningsgrupp'] as const) {
    const body = raw.bodies[key];
    if (!body) continue;
    const seen = new Map<string, number>();
    let chairs = 0;
    body.members.forEach((m, i) => {
      const path = `/bodies/${key}/members/${i}`;
      if (!people.has(m.person)) add(`${path}/person`, `unknown person "${m.person}"; known: ${list(personIds)}`);
      else if (seen.has(m.person)) add(`${path}/person`, `person "${m.person}" is listed twice in ${key} (also at item ${seen.get(m.person)})`);
      seen.set(m.person, i);
      if (m.member !== undefined && !memberIds.has(m.member)) add(`${path}/member`, `unknown member "${m.member}"; known: ${list(memberIds)}`);
      if (m.role === 'chair' && ++chairs > 1) add(`${path}/role`, `${key} has more than one chair`);
    });
    rosterIssues(key, body, memberIds, add);
  }

  // reporting
  const enabledKinds: ReportKind[] = raw.reporting?.kinds
    ? REPORT_KINDS.filter((k) => raw.reporting!.kinds![k] !== undefined)
    : [...DEFAULT_REPORT_KINDS];
  const overdue = raw.reporting?.overdue;
  if (overdue) {
    const r = overdue.reminderDaysAfter ?? DEFAULT_OVERDUE.reminderDaysAfter;
    const e = overdue.escalateDaysAfter ?? DEFAULT_OVERDUE.escalateDaysAfter;
    if (e < r) add('/reporting/overdue/escalateDaysAfter', `escalation (day ${e}) must not come before the overdue reminder (day ${r})`);
  }

  // projects
  raw.projects.forEach((p, i) => {
    const path = `/projects/${i}`;
    const person = people.get(p.coordinator);
    if (!person) add(`${path}/coordinator`, `unknown person "${p.coordinator}"; known: ${list(personIds)}`);
    else if (!person.roles.includes('coordinator')) {
      add(`${path}/coordinator`, `person "${p.coordinator}" does not have role "coordinator" (roles: ${list(person.roles)})`);
    }
    checkDate(`${path}/start`, p.start);
    checkDate(`${path}/end`, p.end);
    const start = p.start ?? `${year}-01-01`;
    const end = p.end ?? `${year}-12-31`;
    if (isIsoDate(start) && isIsoDate(end) && end < start) {
      const which = p.end === undefined ? `end ${end} (default: end of ${year})` : `end ${end}`;
      const from = p.start === undefined ? `start ${start} (default: start of ${year})` : `start ${start}`;
      add(`${path}/${p.end === undefined ? 'start' : 'end'}`, `${which} is before ${from}`);
    }
    // (A period that is itself wrong is reported above, not again through its grants.)
    if (isIsoDate(end) && !(isIsoDate(start) && end < start)) {
      for (const grantYear of Object.keys(p.grants ?? {})) {
        const problem = grantYearProblem(grantYear, end, p.end === undefined ? year : undefined);
        if (problem) add(joinPointer(`${path}/grants`, grantYear), problem);
      }
    }
    if (p.startCondition !== undefined && !p.startCondition.trim()) add(`${path}/startCondition`, 'must not be empty: write the decision the start waits for, or leave startCondition out');
    (p.reports ?? []).forEach((kind, j) => {
      if (!enabledKinds.includes(kind)) {
        add(`${path}/reports/${j}`, `report kind "${kind}" is not enabled in reporting.kinds; enabled: ${list(enabledKinds)}`);
      }
    });
  });

  // meetings and planning days
  const ruleDate = (rule: DateRule, path: string): IsoDate | undefined => {
    try {
      return resolveDateRule(rule, year);
    } catch (err) {
      add(path, `rule cannot be resolved for ${year}: ${(err as Error).message}`);
      return undefined;
    }
  };
  const dated = (item: RawDated, path: string): IsoDate | undefined => {
    if (item.date !== undefined && item.rule !== undefined) {
      add(`${path}/rule`, 'give either date or rule, not both');
      return undefined;
    }
    if (item.date === undefined && item.rule === undefined) {
      add(`${path}/date`, 'missing date: give either date or rule');
      return undefined;
    }
    if (item.date !== undefined) {
      checkDate(`${path}/date`, item.date);
      return isIsoDate(item.date) ? item.date : undefined;
    }
    return ruleDate(item.rule!, `${path}/rule`);
  };
  const defaultStart = raw.cycle.defaults?.start ?? DEFAULT_MEETING_TIME.start;
  const defaultEnd = raw.cycle.defaults?.end ?? DEFAULT_MEETING_TIME.end;
  if (defaultEnd <= defaultStart) add('/cycle/defaults/end', `end ${defaultEnd} must be after start ${defaultStart}`);

  const meetingDates = new Map<string, IsoDate | undefined>();
  const meetingBodies = new Map<string, MeetingBody>();
  raw.cycle.meetings.forEach((m, i) => {
    const path = `/cycle/meetings/${i}`;
    if (!meetingDates.has(m.id)) {
      meetingDates.set(m.id, dated(m, path));
      meetingBodies.set(m.id, m.body);
    } else dated(m, path);
    const start = m.start ?? defaultStart;
    const end = m.end ?? defaultEnd;
    if ((m.start !== undefined || m.end !== undefined) && end <= start) {
      add(`${path}/end`, `end ${end} must be after start ${start}`);
    }
  });
  raw.cycle.meetings.forEach((m, i) => {
    const path = `/cycle/meetings/${i}`;
    if (m.for === undefined) return;
    if (m.body === 'styrelse') {
      add(`${path}/for`, 'a styrelse meeting cannot prepare another meeting; "for" is for presidium, beredningsgrupp and beredning meetings');
      return;
    }
    const boardIds = raw.cycle.meetings.filter((x) => x.body === 'styrelse').map((x) => x.id);
    if (!meetingBodies.has(m.for)) {
      add(`${path}/for`, `unknown meeting "${m.for}"; known board meetings: ${list(boardIds)}`);
    } else if (meetingBodies.get(m.for) !== 'styrelse') {
      add(`${path}/for`, `meeting "${m.for}" is a ${meetingBodies.get(m.for)} meeting, not a styrelse meeting; known board meetings: ${list(boardIds)}`);
    } else {
      const own = meetingDates.get(m.id);
      const board = meetingDates.get(m.for);
      if (own && board && own >= board) {
        add(`${path}/for`, `this meeting (${own}) must be before the board meeting "${m.for}" it prepares (${board})`);
      }
    }
  });
  planningDays.forEach((d, i) => {
    const path = `/cycle/planningDays/${i}`;
    dated(d, path);
    if (d.end !== undefined && d.start === undefined) add(`${path}/start`, 'missing start: an end time needs a start time');
    else if (d.start !== undefined && d.end !== undefined && d.end <= d.start) add(`${path}/end`, `end ${d.end} must be after start ${d.start}`);
  });

  if (raw.cycle.preparation === true) {
    add('/cycle/preparation', 'true is not allowed: give { beredningsgruppDaysBefore, beredningDaysBefore } or false');
  }

  // milestones
  const eventIds = [...raw.cycle.meetings.map((m) => m.id), ...planningDays.map((d) => d.id)];
  const chairs = (raw.bodies.styrelse.members ?? []).filter((m) => m.role === 'chair');
  for (const [key, ms] of Object.entries(raw.cycle.milestones ?? {})) {
    const path = joinPointer('/cycle/milestones', key);
    if (ms === true) {
      if (!(KNOWN_MILESTONES as readonly string[]).includes(key)) {
        add(path, `true (the engine's default placement) is only for the known milestones (${KNOWN_MILESTONES.join(', ')}); "${key}" needs { meeting or due, owner, title }`);
      }
      continue;
    }
    if (ms === false) continue;
    if (!(KNOWN_MILESTONES as readonly string[]).includes(key) && ms.title === undefined) {
      add(`${path}/title`, `missing title: "${key}" is not a known milestone (${KNOWN_MILESTONES.join(', ')}), so it needs a title`);
    }
    if (ms.meeting !== undefined && ms.due !== undefined) add(`${path}/due`, 'give either meeting or due, not both');
    else if (ms.meeting === undefined && ms.due === undefined) add(`${path}/meeting`, 'missing meeting: give either meeting or due');
    if (ms.meeting !== undefined && !eventIds.includes(ms.meeting)) {
      add(`${path}/meeting`, `unknown meeting "${ms.meeting}"; known: ${list(eventIds)}`);
    }
    checkDate(`${path}/due`, ms.due);
    const owner = ms.owner;
    if ((OWNER_ROLES as readonly string[]).includes(owner)) {
      if (owner === 'chair' ? chairs.length === 0 : !hasRole(owner as PersonRole)) {
        add(
          `${path}/owner`,
          owner === 'chair' ? 'owner "chair": no styrelse member has role chair' : `owner "${owner}": no person has role "${owner}"`,
        );
      }
    } else if (!people.has(owner)) {
      add(`${path}/owner`, `unknown owner "${owner}"; give a role (${OWNER_ROLES.join(', ')}) or a person id (${list(personIds)})`);
    }
  }

  if (raw.budget) budgetIssues(raw, memberIds, add);

  return issues;
}

/** One account pattern as the set of accounts it matches: an exact account, a range of one length, or a prefix. */
type AccountSet = { exact: string } | { lo: string; hi: string } | { prefix: string };

function accountSet(pattern: string): AccountSet | string {
  if (/^\d+$/.test(pattern)) return { exact: pattern };
  const range = /^(\d+)-(\d+)$/.exec(pattern);
  if (range) {
    const [, lo, hi] = range;
    if (lo.length !== hi.length) return `the range ${pattern} must have two ends of the same length (e.g. 4000-4099)`;
    if (lo > hi) return `the range ${pattern} ends before it starts`;
    return { lo, hi };
  }
  return { prefix: pattern.slice(0, -1) };
}

/** The accounts of one length L a set matches, as an interval (or null). */
function asInterval(a: AccountSet, length: number): [string, string] | null {
  if ('exact' in a) return a.exact.length === length ? [a.exact, a.exact] : null;
  if ('lo' in a) return a.lo.length === length ? [a.lo, a.hi] : null;
  if (a.prefix.length > length) return null;
  const pad = length - a.prefix.length;
  return [a.prefix + '0'.repeat(pad), a.prefix + '9'.repeat(pad)];
}

/** An account both sets match, if any. */
function sharedAccount(a: AccountSet, b: AccountSet): string | null {
  if ('prefix' in a && 'prefix' in b) {
    const [short, long] = a.prefix.length <= b.prefix.length ? [a.prefix, b.prefix] : [b.prefix, a.prefix];
    return long.startsWith(short) ? `${long}*` : null;
  }
  const lengths = [a, b].flatMap((x) => ('exact' in x ? [x.exact.length] : 'lo' in x ? [x.lo.length] : []));
  for (const length of lengths) {
    const x = asInterval(a, length);
    const y = asInterval(b, length);
    if (!x || !y) continue;
    const lo = x[0] > y[0] ? x[0] : y[0];
    const hi = x[1] < y[1] ? x[1] : y[1];
    if (lo <= hi) return lo === hi ? lo : `${lo}-${hi}`;
  }
  return null;
}

/**
 * The budget section: unique line ids in a year, references to members and projects, and the
 * account mapping (known lines, each once, no account mapped to two lines). Totals that do not
 * add up are not errors: the import reports them as warnings (domain/budget.ts budgetWarnings).
 */
function budgetIssues(raw: RawFile, memberIds: Set<string>, add: (path: string, message: string) => void): void {
  const budget = raw.budget!;
  const projectIds = raw.projects.map((p) => p.id);
  const lineIds = new Set<string>();
  for (const [year, y] of Object.entries(budget.years)) {
    const base = joinPointer('/budget/years', year);
    const seen = new Map<string, string>();
    const unique = (id: string, path: string) => {
      const first = seen.get(id);
      if (first !== undefined) add(`${path}/id`, `duplicate budget line id "${id}" in ${year} (already used at ${first})`);
      else seen.set(id, path);
      lineIds.add(id);
    };
    y.income.forEach((l, i) => {
      const path = `${base}/income/${i}`;
      unique(l.id, path);
      if (l.member === undefined) return;
      if (l.group !== 'members') add(`${path}/member`, `member is only for lines of group "members" (one member's contribution); this line has group "${l.group}"`);
      else if (!memberIds.has(l.member)) add(`${path}/member`, `unknown member "${l.member}"; known: ${list(memberIds)}`);
    });
    y.costs.forEach((l, i) => {
      const path = `${base}/costs/${i}`;
      unique(l.id, path);
      if (l.project === undefined) return;
      if (l.group !== 'project') add(`${path}/project`, `project is only for lines of group "project" (a project's grant); this line has group "${l.group}"`);
      else if (!projectIds.includes(l.project)) add(`${path}/project`, `unknown project "${l.project}"; known: ${list(projectIds)}`);
    });
  }

  const mapped = new Map<string, number>();
  const sets: { line: string; pattern: string; set: AccountSet }[] = [];
  (budget.accounts ?? []).forEach((m, i) => {
    const path = `/budget/accounts/${i}`;
    if (!lineIds.has(m.line)) add(`${path}/line`, `unknown budget line "${m.line}"; known: ${list([...lineIds].sort())}`);
    else if (mapped.has(m.line)) add(`${path}/line`, `budget line "${m.line}" is mapped twice (also at /budget/accounts/${mapped.get(m.line)}); give all its accounts in one list`);
    else mapped.set(m.line, i);
    m.accounts.forEach((pattern, j) => {
      const set = accountSet(pattern);
      if (typeof set === 'string') return add(`${path}/accounts/${j}`, set);
      const other = sets.find((s) => s.line !== m.line && sharedAccount(s.set, set) !== null);
      if (other) {
        add(
          `${path}/accounts/${j}`,
          `accounts ${pattern} overlap ${other.pattern} of budget line "${other.line}" (both take ${sharedAccount(other.set, set)}); an account counts for one line only`,
        );
      }
      sets.push({ line: m.line, pattern, set });
    });
  });
}

// ---------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------

function withDefaults(raw: RawFile): ForbundFile {
  const year = raw.forbund.year;
  const body = (b: RawBody): Body => ({
    ...(b.name !== undefined ? { name: b.name } : {}),
    members: b.members.map((m) => ({
      person: m.person,
      role: m.role ?? 'member',
      ...(m.member !== undefined ? { member: m.member } : {}),
      ...(m.order !== undefined ? { order: m.order } : {}),
      ...(m.period !== undefined ? { period: { ...m.period } } : {}),
    })),
  });

  const rawKinds = raw.reporting?.kinds;
  const kinds: ReportingPolicy['kinds'] = {};
  for (const k of rawKinds ? REPORT_KINDS : DEFAULT_REPORT_KINDS) {
    if (rawKinds && rawKinds[k] === undefined) continue;
    const dueDays = rawKinds?.[k]?.dueDays ?? DEFAULT_DUE_DAYS[k];
    if (k === 'financial') {
      kinds.financial = { dueDays, months: [...(rawKinds?.financial?.months ?? DEFAULT_FINANCIAL_MONTHS)].sort((a, b) => a - b) };
    } else kinds[k] = { dueDays };
  }
  const enabled = REPORT_KINDS.filter((k) => kinds[k] !== undefined);
  const reporting: ReportingPolicy = {
    kinds,
    reminders: [...(raw.reporting?.reminders ?? DEFAULT_REMINDERS)].sort((a, b) => b - a),
    overdue: {
      reminderDaysAfter: raw.reporting?.overdue?.reminderDaysAfter ?? DEFAULT_OVERDUE.reminderDaysAfter,
      escalateDaysAfter: raw.reporting?.overdue?.escalateDaysAfter ?? DEFAULT_OVERDUE.escalateDaysAfter,
    },
  };

  const defaults = {
    start: raw.cycle.defaults?.start ?? DEFAULT_MEETING_TIME.start,
    end: raw.cycle.defaults?.end ?? DEFAULT_MEETING_TIME.end,
    ...(raw.cycle.defaults?.location !== undefined ? { location: raw.cycle.defaults.location } : {}),
  };
  const prep = raw.cycle.preparation;
  const preparation: PreparationPolicy | false =
    prep === false
      ? false
      : {
          beredningsgruppDaysBefore:
            (typeof prep === 'object' ? prep.beredningsgruppDaysBefore : undefined) ?? DEFAULT_PREPARATION.beredningsgruppDaysBefore,
          beredningDaysBefore: (typeof prep === 'object' ? prep.beredningDaysBefore : undefined) ?? DEFAULT_PREPARATION.beredningDaysBefore,
        };

  const milestones: Record<string, Milestone | boolean> = {};
  for (const [key, ms] of Object.entries(raw.cycle.milestones ?? {})) {
    milestones[key] = typeof ms === 'boolean' ? ms : { ...ms };
  }

  return {
    forbund: { ...raw.forbund },
    members: raw.members.map((m) => ({ ...m })),
    people: raw.people.map((p) => ({ ...p, roles: [...p.roles] })),
    bodies: {
      styrelse: body(raw.bodies.styrelse),
      ...(raw.bodies.presidium ? { presidium: body(raw.bodies.presidium) } : {}),
      ...(raw.bodies.beredningsgrupp ? { beredningsgrupp: body(raw.bodies.beredningsgrupp) } : {}),
    },
    reporting,
    projects: raw.projects.map((p) => ({
      ...p,
      start: p.start ?? `${year}-01-01`,
      end: p.end ?? `${year}-12-31`,
      grants: { ...(p.grants ?? {}) },
      goals: [...(p.goals ?? [])],
      reports: p.reports ? REPORT_KINDS.filter((k) => p.reports!.includes(k)) : [...enabled],
      status: p.status ?? 'active',
    })),
    cycle: {
      defaults,
      kallelseDays: raw.cycle.kallelseDays ?? DEFAULT_KALLELSE_DAYS,
      kallelseReminderDays: raw.cycle.kallelseReminderDays ?? DEFAULT_KALLELSE_REMINDER_DAYS,
      justeringDays: raw.cycle.justeringDays ?? DEFAULT_JUSTERING_DAYS,
      ...(raw.cycle.dischargeReplyBy ? { dischargeReplyBy: raw.cycle.dischargeReplyBy } : {}),
      inviteBoardMembers: raw.cycle.inviteBoardMembers ?? false,
      preparation,
      meetings: raw.cycle.meetings.map((m) => ({
        ...m,
        start: m.start ?? defaults.start,
        end: m.end ?? defaults.end,
        ...(m.location === undefined && defaults.location !== undefined ? { location: defaults.location } : {}),
      })),
      planningDays: (raw.cycle.planningDays ?? []).map((d) => ({ ...d })),
      milestones,
    },
    ...(raw.budget
      ? {
          budget: {
            years: Object.fromEntries(
              Object.entries(raw.budget.years).map(([year, y]) => [
                year,
                {
                  income: y.income.map((l) => ({ ...l })),
                  costs: y.costs.map((l) => ({ ...l })),
                  ...(y.equityCarriedOver !== undefined ? { equityCarriedOver: y.equityCarriedOver } : {}),
                  ...(y.stated !== undefined ? { stated: { ...y.stated } } : {}),
                },
              ]),
            ),
            ...(raw.budget.policy ? { policy: { ...raw.budget.policy } } : {}),
            accounts: (raw.budget.accounts ?? []).map((m) => ({ line: m.line, accounts: [...m.accounts] })),
          },
        }
      : {}),
  };
}

// ---------------------------------------------------------------------------
// YAML positions
// ---------------------------------------------------------------------------

/** 1-based line of the node at `pointer`, or of the nearest existing ancestor. */
function lineOf(doc: Document, counter: LineCounter, pointer: string): number | undefined {
  const segments = pointer === '' || pointer === '/' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.contents;
  let offset: number | undefined = isNode(node) ? node.range?.[0] : undefined;
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === seg);
      if (!pair) break;
      offset = isNode(pair.key) ? (pair.key.range?.[0] ?? offset) : offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!/^\d+$/.test(seg) || item === undefined) break;
      offset = isNode(item) ? (item.range?.[0] ?? offset) : offset;
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

/**
 * Every text and key of the file through the one screen for free text (domain/fritext.ts): no
 * personal identity number anywhere, and no line break or control character in a one-line text
 * (a name, a title, a place, an id); a project's note may run over several lines.
 */
function textIssues(raw: RawFile): { path: string; message: string }[] {
  return screenValue(raw, { max: 100 }).map((p) => ({
    path: p.path.reduce<string>((base, k) => joinPointer(base, k), ''),
    message: `${p.key ? 'the key ' : ''}${p.kind === 'identity-number' ? 'looks like it contains a personal identity number (personnummer); the förbund file holds none: remove it' : p.problem}`,
  }));
}

function displayPath(path: string): string {
  return path === '' ? '/' : path;
}

/**
 * Validates already-parsed data (e.g. a JSON request body) and fills in defaults.
 * Throws ForbundFileError (without line numbers).
 */
export function checkForbundData(data: unknown, fileName: string): ForbundFile {
  return check(data, fileName, () => undefined);
}

/** Orders issues by line where both lines are known; otherwise keeps the order found. */
function byLine(issues: ForbundFileIssue[]): ForbundFileIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((x, y) => (x.issue.line !== undefined && y.issue.line !== undefined ? x.issue.line - y.issue.line : 0) || x.i - y.i)
    .map((x) => x.issue);
}

function check(data: unknown, fileName: string, line: (path: string) => number | undefined): ForbundFile {
  const issue = (path: string, message: string): ForbundFileIssue => {
    const l = line(path);
    return { file: fileName, path: displayPath(path), message, ...(l !== undefined ? { line: l } : {}) };
  };
  if (!validateSchema(data)) {
    const seen = new Set<string>();
    const errors: ForbundFileIssue[] = [];
    for (const e of validateSchema.errors ?? []) {
      const r = ajvIssue(e);
      if (!r) continue;
      const k = `${r.path}\u0000${r.message}`;
      if (seen.has(k)) continue;
      seen.add(k);
      errors.push(issue(r.path, r.message));
    }
    throw new ForbundFileError(byLine(errors));
  }
  const raw = data as unknown as RawFile;
  const problems = [...semanticIssues(raw), ...textIssues(raw)];
  if (problems.length) throw new ForbundFileError(byLine(problems.map((p) => issue(p.path, p.message))));
  return withDefaults(raw);
}

/**
 * Parses a förbund file (YAML; JSON is valid YAML), validates it and fills in
 * defaults. `fileName` is only used in error reports.
 */
export function parseForbundFile(text: string, fileName: string): ForbundFile {
  // Nesting is bounded first, on the parser's tokens (read without recursion): composing a
  // document nested thousands deep exhausts the stack, and can bring the process down.
  const deep = tooDeep(text);
  if (deep) throw new ForbundFileError([{ file: fileName, path: deep.path, message: `nested deeper than ${MAX_YAML_DEPTH} levels; a förbund file needs far fewer`, line: deep.line }]);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ForbundFileError(
      doc.errors.map((e) => {
        const { line, col } = counter.linePos(e.pos[0]);
        const message = e.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').trim();
        return { file: fileName, path: `${line}:${col}`, message: `YAML syntax error: ${message}`, line };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new ForbundFileError([{ file: fileName, path: '/', message: `cannot read the YAML: ${(err as Error).message}` }]);
  }
  return check(data, fileName, (path) => lineOf(doc, counter, path));
}

/** The deepest nesting of mappings and lists a förbund file may have (it needs about 8). */
export const MAX_YAML_DEPTH = 64;

/** Where the text nests mappings and lists deeper than MAX_YAML_DEPTH, if it does (LINE:COLUMN). */
function tooDeep(text: string): { path: string; line: number } | undefined {
  let stack: [unknown, number][];
  try {
    stack = [...new Parser().parse(text)].map((t) => [t, 0]);
  } catch (err) {
    // The parser's own stack ran out: deeper than anyone writes a förbund file.
    if (err instanceof RangeError) return { path: '1:1', line: 1 };
    throw err;
  }
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (t === null || typeof t !== 'object') continue;
    const token = t as { type?: string; offset?: number };
    const d = token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection' ? depth + 1 : depth;
    if (d > MAX_YAML_DEPTH) {
      const before = text.slice(0, token.offset ?? 0);
      const line = before.split('\n').length;
      return { path: `${line}:${before.length - before.lastIndexOf('\n')}`, line };
    }
    for (const v of Object.values(t)) {
      if (Array.isArray(v)) for (const x of v) stack.push([x, d]);
      else if (v !== null && typeof v === 'object') stack.push([v, d]);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Helpers for consumers
// ---------------------------------------------------------------------------

/** People holding a role. */
export function peopleWithRole(file: ForbundFile, role: PersonRole): Person[] {
  return file.people.filter((p) => p.roles.includes(role));
}

/**
 * The people a milestone owner names: a role (official, secretary, economist;
 * chair = the styrelse member with role chair) or a person id.
 */
export function resolveOwner(file: ForbundFile, owner: string): Person[] {
  if (owner === 'chair') {
    const ids = file.bodies.styrelse.members.filter((m) => m.role === 'chair').map((m) => m.person);
    return file.people.filter((p) => ids.includes(p.id));
  }
  if ((OWNER_ROLES as readonly string[]).includes(owner)) return peopleWithRole(file, owner as PersonRole);
  return file.people.filter((p) => p.id === owner);
}

export type { DateRule, IsoDate, WeekdayName };
