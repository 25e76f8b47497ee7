// What a report holds: aggregate figures (participants by women and men, costs, each goal's
// outcome) and text, validated on the way in, read back for display (with small counts hidden
// for the public), and mapped to and from the coordinator's form. Pure functions.
import { containsIdentityNumber, IDENTITY_NUMBER_PROBLEM } from './personnummer.js';

// A report carries aggregate figures only, never a person: participants by women and men per
// row (active, new, ended, to work, to studies; the totals derived), costs to date in kronor, and
// for each of the project's goals its outcome (participants who reached it, by women and men,
// and/or another number) with a short comment. The goal's text is stored with the outcome as it
// read when the report was submitted: a goal edited later does not change what was reported.
//
// Stored in Submission.figures as
//   { participants: { active: { women, men }, … }, costsToDate, goals: [{ goal, women, men, value, comment }] }
// Reports stored before the split (and clients of the older API) carry flat totals instead:
//   { participantsActive, participantsNew, participantsEnded, participantsToWork, participantsToStudies, costsToDate }
// Both are read by readFigures; the JSON API accepts both (a row given both ways is refused).

/** The flat figures of the older API and of reports stored before the split by women and men. */
export const FIGURE_FIELDS = {
  participantsActive: 'deltagare aktiva under perioden',
  participantsNew: 'nya deltagare under perioden',
  participantsEnded: 'avslutade deltagare under perioden',
  participantsToWork: 'avslutade till arbete',
  participantsToStudies: 'avslutade till studier',
  costsToDate: 'upparbetade kostnader (kr)',
} as const;
export type FigureField = keyof typeof FIGURE_FIELDS;

/** The participant rows of a report, by women and men. */
export const PARTICIPANT_ROWS = {
  active: 'deltagare aktiva under perioden',
  new: 'nya deltagare under perioden',
  ended: 'avslutade deltagare under perioden',
  toWork: 'avslutade till arbete',
  toStudies: 'avslutade till studier',
} as const;
export type ParticipantRow = keyof typeof PARTICIPANT_ROWS;
export const PARTICIPANT_ROW_KEYS = Object.keys(PARTICIPANT_ROWS) as ParticipantRow[];
/** The flat total of each row in the older shape. */
export const LEGACY_FIELD: Record<ParticipantRow, FigureField> = {
  active: 'participantsActive',
  new: 'participantsNew',
  ended: 'participantsEnded',
  toWork: 'participantsToWork',
  toStudies: 'participantsToStudies',
};
export const COSTS_LABEL = FIGURE_FIELDS.costsToDate;
export const GENDERS = ['women', 'men'] as const;
export type Gender = (typeof GENDERS)[number];

export interface Split {
  women?: number;
  men?: number;
}

export interface GoalOutcome extends Split {
  /** The goal's text when the report was submitted. */
  goal: string;
  /** Another outcome in numbers (activities held, employers reached …). */
  value?: number;
  comment?: string;
}

/** What Submission.figures holds (and a draft's figures): the split shape, the flat one, or both for different rows. */
export interface StoredFigures extends Partial<Record<FigureField, number>> {
  participants?: Partial<Record<ParticipantRow, Split>>;
  goals?: GoalOutcome[];
}

export interface SubmissionInput {
  figures: StoredFigures;
  narrative: string;
  submittedBy?: string;
}

export interface FieldError {
  field: string;
  problem: string;
  /** The problem in Swedish, for the form. */
  sv?: string;
}

export const MAX_NARRATIVE = 20_000;
export const MAX_GOAL_COMMENT = 2_000;
const MAX_COUNT = 1e9;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_COUNT;
const WHOLE = { problem: 'must be a whole number from 0', sv: 'Skriv ett heltal, 0 eller större, med bara siffror.' };
const GENDER_SV: Record<Gender, string> = { women: 'kvinnor', men: 'män' };

export interface ValidateOptions {
  /** The project's goals today, in order: the report gives one outcome per goal. */
  goals?: readonly string[];
  /** A draft: only whole numbers and no personal identity number are checked; nothing is required. */
  draft?: boolean;
}

/**
 * Validates a report (or a draft) before it is stored. Figures are aggregate whole numbers; no
 * text may carry a personal identity number, since reports must never identify a participant.
 * A submitted report needs a narrative; each participant row given needs both women and men (0
 * when none), a part (new, to work, to studies) no larger than its whole (active, ended) for
 * either gender; and when outcomes per goal are given, one per goal, each with a figure or a comment.
 */
export function validateSubmission(body: unknown, opts: ValidateOptions = {}): { ok: true; value: SubmissionInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const draft = !!opts.draft;
  const projectGoals = opts.goals ?? [];
  if (!isObject(body)) return { ok: false, errors: [{ field: '(body)', problem: 'must be a JSON object' }] };
  const b = body;
  for (const key of Object.keys(b)) {
    if (!['figures', 'narrative', 'submittedBy'].includes(key)) errors.push({ field: key, problem: 'unknown field' });
  }
  const figures: StoredFigures = {};
  const count = (v: unknown, field: string): number | undefined => {
    if (v === undefined || (draft && v === null)) return undefined;
    if (!isCount(v)) {
      errors.push({ field, ...WHOLE });
      return undefined;
    }
    return v;
  };
  const allowed = [...Object.keys(FIGURE_FIELDS), 'participants', 'goals'];
  if (!isObject(b.figures)) {
    if (!(draft && b.figures === undefined)) errors.push({ field: 'figures', problem: `must be an object with aggregate figures: participants, costsToDate, goals (or the flat ${Object.keys(FIGURE_FIELDS).join(', ')})` });
  } else {
    for (const [k, v] of Object.entries(b.figures)) {
      if (!allowed.includes(k)) errors.push({ field: `figures.${k}`, problem: `unknown figure; allowed: ${allowed.join(', ')}` });
      else if (k in FIGURE_FIELDS) {
        const n = count(v, `figures.${k}`);
        if (n !== undefined) figures[k as FigureField] = n;
      }
    }
    const p = b.figures.participants;
    if (p !== undefined) {
      if (!isObject(p)) errors.push({ field: 'figures.participants', problem: `must be an object with the rows ${PARTICIPANT_ROW_KEYS.join(', ')}` });
      else {
        const out: Partial<Record<ParticipantRow, Split>> = {};
        for (const [row, v] of Object.entries(p)) {
          const f = `figures.participants.${row}`;
          if (!(row in PARTICIPANT_ROWS)) errors.push({ field: f, problem: `unknown row; allowed: ${PARTICIPANT_ROW_KEYS.join(', ')}` });
          else if (!isObject(v)) errors.push({ field: f, problem: 'must be an object with women and men' });
          else {
            const split = splitOf(v, f, count, errors, draft, 'Ange både kvinnor och män; skriv 0 om det inte finns några.');
            if (split.women !== undefined || split.men !== undefined) out[row as ParticipantRow] = split;
            if (figures[LEGACY_FIELD[row as ParticipantRow]] !== undefined) {
              errors.push({ field: `figures.${LEGACY_FIELD[row as ParticipantRow]}`, problem: `give the row either by women and men (participants.${row}) or as a total, not both` });
            }
          }
        }
        if (!draft) {
          // A part is never larger than its whole: the new among the active, to work or studies among the ended.
          for (const [part, whole] of [['new', 'active'], ['toWork', 'ended'], ['toStudies', 'ended']] as [ParticipantRow, ParticipantRow][]) {
            for (const g of GENDERS) {
              const a = out[part]?.[g];
              const w = out[whole]?.[g];
              if (a !== undefined && w !== undefined && a > w) {
                errors.push({ field: `figures.participants.${part}.${g}`, problem: `larger than participants.${whole}.${g}`, sv: `Fler än ${PARTICIPANT_ROWS[whole]} (${GENDER_SV[g]}: ${w}).` });
              }
            }
          }
        }
        figures.participants = out;
      }
    }
    const goals = b.figures.goals;
    if (goals !== undefined) {
      if (!Array.isArray(goals)) errors.push({ field: 'figures.goals', problem: 'must be a list with one outcome per goal of the project' });
      else if (draft ? goals.length > projectGoals.length : goals.length !== projectGoals.length) {
        errors.push({ field: 'figures.goals', problem: projectGoals.length ? `must have one outcome per goal of the project, in order: ${projectGoals.length}` : 'the project has no goals' });
      } else {
        figures.goals = goals.map((g, i) => {
          const f = `figures.goals[${i}]`;
          const out: GoalOutcome = { goal: projectGoals[i] };
          if (!isObject(g)) {
            errors.push({ field: f, problem: 'must be an object with women, men, value and comment' });
            return out;
          }
          for (const k of Object.keys(g)) if (!['women', 'men', 'value', 'comment', 'goal'].includes(k)) errors.push({ field: `${f}.${k}`, problem: 'unknown field' });
          Object.assign(out, splitOf(g, f, count, errors, draft, 'Ange både kvinnor och män; skriv 0 om det inte finns några.', false));
          const value = count(g.value, `${f}.value`);
          if (value !== undefined) out.value = value;
          if (g.comment !== undefined && g.comment !== null) {
            if (typeof g.comment !== 'string' || g.comment.length > MAX_GOAL_COMMENT) errors.push({ field: `${f}.comment`, problem: `must be a text of at most ${MAX_GOAL_COMMENT} characters`, sv: `Skriv högst ${MAX_GOAL_COMMENT} tecken.` });
            else if (containsIdentityNumber(g.comment)) errors.push({ field: `${f}.comment`, problem: IDENTITY_NUMBER_PROBLEM, sv: IDENTITY_NUMBER_SV });
            else if (g.comment.trim()) out.comment = g.comment.trim();
          }
          if (!draft && out.women === undefined && out.men === undefined && out.value === undefined && out.comment === undefined && !errors.some((e) => e.field.startsWith(`${f}.`))) {
            errors.push({ field: `${f}.comment`, problem: 'give an outcome (women and men, or value) or a comment for each goal', sv: 'Ange utfallet för målet eller skriv en kommentar om det.' });
          }
          return out;
        });
      }
    }
  }
  let narrative = '';
  if (b.narrative === undefined && draft) narrative = '';
  else if (typeof b.narrative !== 'string' || (!draft && b.narrative.trim().length === 0)) {
    errors.push({ field: 'narrative', problem: 'must be a non-empty text', sv: 'Beskriv arbetet under perioden.' });
  } else if (b.narrative.length > MAX_NARRATIVE) {
    errors.push({ field: 'narrative', problem: `must be at most ${MAX_NARRATIVE} characters`, sv: `Skriv högst ${MAX_NARRATIVE} tecken.` });
  } else if (containsIdentityNumber(b.narrative)) {
    errors.push({ field: 'narrative', problem: IDENTITY_NUMBER_PROBLEM, sv: IDENTITY_NUMBER_SV });
  } else narrative = b.narrative.trim();
  if (b.submittedBy !== undefined && (typeof b.submittedBy !== 'string' || b.submittedBy.length > 200)) {
    errors.push({ field: 'submittedBy', problem: 'must be a text of at most 200 characters', sv: 'Skriv högst 200 tecken.' });
  } else if (typeof b.submittedBy === 'string' && containsIdentityNumber(b.submittedBy)) {
    errors.push({ field: 'submittedBy', problem: IDENTITY_NUMBER_PROBLEM, sv: IDENTITY_NUMBER_SV });
  }
  if (errors.length) return { ok: false, errors };
  const by = typeof b.submittedBy === 'string' && b.submittedBy.trim() ? b.submittedBy.trim() : undefined;
  return { ok: true, value: { figures, narrative, ...(b.submittedBy !== undefined ? { submittedBy: draft ? by : (b.submittedBy as string) } : {}) } };
}

const IDENTITY_NUMBER_SV = 'Texten ser ut att innehålla ett personnummer. Rapporten får bara ha sammanställda uppgifter, inga uppgifter om enskilda deltagare.';

/** Women and men of a row (or a goal, whose other fields the caller checks: `onlySplit` false). */
function splitOf(v: Record<string, unknown>, f: string, count: (v: unknown, field: string) => number | undefined, errors: FieldError[], draft: boolean, bothSv: string, onlySplit = true): Split {
  const out: Split = {};
  if (onlySplit) for (const k of Object.keys(v)) if (!GENDERS.includes(k as Gender)) errors.push({ field: `${f}.${k}`, problem: 'unknown field; give women and men' });
  for (const g of GENDERS) {
    const n = count(v[g], `${f}.${g}`);
    if (n !== undefined) out[g] = n;
  }
  if (!draft) {
    for (const g of GENDERS) {
      const other = g === 'women' ? 'men' : 'women';
      if ((v[g] === undefined || v[g] === null) && out[other] !== undefined) errors.push({ field: `${f}.${g}`, problem: `give both women and men (0 when none)`, sv: bothSv });
    }
  }
  return out;
}

// --- reading and showing figures ---------------------------------------------------------------

const total = (s: Split | undefined): number | undefined => (s && (s.women !== undefined || s.men !== undefined) ? (s.women ?? 0) + (s.men ?? 0) : undefined);

export interface ParticipantFigureRow {
  row: ParticipantRow;
  label: string;
  women?: number;
  men?: number;
  /** Derived from women and men; or the flat total of a report without the split. */
  total?: number;
}

export interface GoalFigureRow {
  goal: string;
  women?: number;
  men?: number;
  total?: number;
  value?: number;
  comment?: string;
}

/** A report's figures as rows to show: the participant rows given, the costs and the goals' outcomes. */
export interface FigureRows {
  participants: ParticipantFigureRow[];
  costsToDate?: number;
  goals: GoalFigureRow[];
}

/** Stored figures (either shape; anything else in the JSON ignored) as rows to show, in a fixed order. */
export function readFigures(stored: unknown): FigureRows {
  const f = isObject(stored) ? stored : {};
  const split = isObject(f.participants) ? f.participants : {};
  const participants: ParticipantFigureRow[] = [];
  for (const row of PARTICIPANT_ROW_KEYS) {
    const s = isObject(split[row]) ? (split[row] as Record<string, unknown>) : {};
    const women = isCount(s.women) ? s.women : undefined;
    const men = isCount(s.men) ? s.men : undefined;
    const flat = f[LEGACY_FIELD[row]];
    const t = total({ women, men }) ?? (isCount(flat) ? flat : undefined);
    if (t === undefined) continue;
    participants.push({ row, label: PARTICIPANT_ROWS[row], ...(women !== undefined ? { women } : {}), ...(men !== undefined ? { men } : {}), total: t });
  }
  const goals: GoalFigureRow[] = (Array.isArray(f.goals) ? f.goals : []).filter(isObject).map((g) => {
    const women = isCount(g.women) ? g.women : undefined;
    const men = isCount(g.men) ? g.men : undefined;
    const t = total({ women, men });
    return {
      goal: typeof g.goal === 'string' ? g.goal : '',
      ...(women !== undefined ? { women } : {}),
      ...(men !== undefined ? { men } : {}),
      ...(t !== undefined ? { total: t } : {}),
      ...(isCount(g.value) ? { value: g.value } : {}),
      ...(typeof g.comment === 'string' && g.comment ? { comment: g.comment } : {}),
    };
  });
  return { participants, ...(isCount(f.costsToDate) ? { costsToDate: f.costsToDate } : {}), goals };
}

/**
 * Statistical disclosure control for what the public sees. A project has few participants, and
 * a count of one or two women (or men) who ended in a given period or went to work can point out
 * a person to anyone who knows the project's people: so a count of 1 or 2 is shown only as
 * "fewer than 3" ('few'). Then the other gender's count of the same row would give it away by
 * subtraction from the total, so it is hidden too ('hidden'), and the total is shown. 0 is shown
 * (it identifies nobody). Kronor and the goals' other numbers (not participants) are not counts of people and stay.
 */
export type ShownCount = number | 'few' | 'hidden';
export const FEWER_THAN = 3;

export function discloseSplit(s: { women?: number; men?: number; total?: number }): { women?: ShownCount; men?: ShownCount; total?: ShownCount } {
  const small = (n: number | undefined): ShownCount | undefined => (n === undefined ? undefined : n > 0 && n < FEWER_THAN ? 'few' : n);
  let women = small(s.women);
  let men = small(s.men);
  const t = small(s.total);
  if (typeof t === 'number') {
    if (women === 'few' && typeof men === 'number') men = 'hidden';
    if (men === 'few' && typeof women === 'number') women = 'hidden';
  }
  return { ...(women !== undefined ? { women } : {}), ...(men !== undefined ? { men } : {}), ...(t !== undefined ? { total: t } : {}) };
}

export interface ShownParticipantRow {
  row: ParticipantRow;
  label: string;
  women?: ShownCount;
  men?: ShownCount;
  total?: ShownCount;
}
export interface ShownGoalRow {
  goal: string;
  women?: ShownCount;
  men?: ShownCount;
  total?: ShownCount;
  value?: number;
  comment?: string;
}
export interface ShownFigures {
  participants: ShownParticipantRow[];
  costsToDate?: number;
  goals: ShownGoalRow[];
}

/** The rows as the public may see them (discloseSplit on every count of participants). */
export function publicFigures(rows: FigureRows): ShownFigures {
  return {
    participants: rows.participants.map((r) => ({ row: r.row, label: r.label, ...discloseSplit(r) })),
    ...(rows.costsToDate !== undefined ? { costsToDate: rows.costsToDate } : {}),
    goals: rows.goals.map((g) => ({ goal: g.goal, ...discloseSplit(g), ...(g.value !== undefined ? { value: g.value } : {}), ...(g.comment ? { comment: g.comment } : {}) })),
  };
}

// --- the form ----------------------------------------------------------------------------------
//
// The HTML form's fields are flat: 'p-active-women', 'costsToDate', 'goal-0-value',
// 'goal-0-comment', 'narrative', 'submittedBy'. Each field of the JSON body maps to one.

export const participantField = (row: ParticipantRow, g: Gender) => `p-${row}-${g}`;
export const goalField = (i: number, k: 'women' | 'men' | 'value' | 'comment') => `goal-${i}-${k}`;

/** The form field (its name and id) of a field named in an error of validateSubmission. */
export function formFieldOf(field: string): string {
  let m = /^figures\.participants\.(\w+)\.(women|men)$/.exec(field);
  if (m) return participantField(m[1] as ParticipantRow, m[2] as Gender);
  m = /^figures\.goals\[(\d+)\]\.(women|men|value|comment)$/.exec(field);
  if (m) return goalField(Number(m[1]), m[2] as 'women');
  m = /^figures\.goals\[(\d+)\]/.exec(field);
  if (m) return goalField(Number(m[1]), 'comment');
  if (field === 'figures.costsToDate') return 'costsToDate';
  const legacy = /^figures\.(participants\w+)$/.exec(field);
  if (legacy) {
    const row = PARTICIPANT_ROW_KEYS.find((r) => LEGACY_FIELD[r] === legacy[1]);
    if (row) return participantField(row, 'women');
  }
  if (field === 'narrative' || field === 'submittedBy') return field;
  return 'narrative';
}

/** A number as typed: spaces (also no-break) between digit groups are allowed; anything else is kept for validation to refuse. */
function typedNumber(v: string | undefined): unknown {
  if (v === undefined) return undefined;
  const t = v.replace(/[\s\u00a0]/g, '');
  if (t === '') return undefined;
  return /^\d{1,10}$/.test(t) ? Number(t) : v;
}

/** The form's fields as the JSON body of validateSubmission (goalCount: the project's goals). */
export function submissionFromForm(form: Record<string, string | undefined>, goalCount: number): Record<string, unknown> {
  const participants: Record<string, Record<string, unknown>> = {};
  for (const row of PARTICIPANT_ROW_KEYS) {
    const s: Record<string, unknown> = {};
    for (const g of GENDERS) {
      const v = typedNumber(form[participantField(row, g)]);
      if (v !== undefined) s[g] = v;
    }
    if (Object.keys(s).length) participants[row] = s;
  }
  const goals = Array.from({ length: goalCount }, (_, i) => {
    const g: Record<string, unknown> = {};
    for (const k of ['women', 'men', 'value'] as const) {
      const v = typedNumber(form[goalField(i, k)]);
      if (v !== undefined) g[k] = v;
    }
    const c = form[goalField(i, 'comment')];
    if (c !== undefined && c.trim() !== '') g.comment = c;
    return g;
  });
  const costs = typedNumber(form.costsToDate);
  return {
    figures: { participants, ...(costs !== undefined ? { costsToDate: costs } : {}), ...(goalCount ? { goals } : {}) },
    narrative: form.narrative ?? '',
    ...(form.submittedBy !== undefined && form.submittedBy.trim() !== '' ? { submittedBy: form.submittedBy } : {}),
  };
}

/** Stored figures (a submission or a draft) as the form's field values, to fill the form in. */
export function formFromStored(figures: unknown, narrative: string | null | undefined, submittedBy: string | null | undefined, goalCount: number): Record<string, string> {
  const f = isObject(figures) ? figures : {};
  const out: Record<string, string> = {};
  const split = isObject(f.participants) ? f.participants : {};
  for (const row of PARTICIPANT_ROW_KEYS) {
    const s = isObject(split[row]) ? (split[row] as Record<string, unknown>) : {};
    for (const g of GENDERS) if (isCount(s[g])) out[participantField(row, g)] = String(s[g]);
  }
  if (isCount(f.costsToDate)) out.costsToDate = String(f.costsToDate);
  const goals = Array.isArray(f.goals) ? f.goals : [];
  for (let i = 0; i < goalCount; i++) {
    const g = isObject(goals[i]) ? (goals[i] as Record<string, unknown>) : {};
    for (const k of ['women', 'men', 'value'] as const) if (isCount(g[k])) out[goalField(i, k)] = String(g[k]);
    if (typeof g.comment === 'string') out[goalField(i, 'comment')] = g.comment;
  }
  if (narrative) out.narrative = narrative;
  if (submittedBy) out.submittedBy = submittedBy;
  return out;
}
