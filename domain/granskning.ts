// The review of a coordinator's report before it is published (issue 21): what in its text may
// point out a person, as warnings for the förbundschef, who decides (approve as it is, approve with
// redactions, or send it back). Warnings, never blocks: the list of names is not every name, "en
// till studier" may be harmless in context, and only a person can tell. Pure: the caller gives
// the texts and the förbund's own place names.
//
// What is looked for, in the narrative and in every goal's comment:
// - given names: the common Swedish given names of domain/fornamn.ts, as whole words with their
//   capital ("Anna", "Annas"); a name that is also a Swedish word ("Per", "Bo", "Maj", "Inga",
//   "Hans") only where it does not start a sentence;
// - places: Sweden's 290 municipalities (domain/kommuner.ts) and the places in the names of the
//   förbund's members ("Kumla" from "Kumla kommun"), likewise;
// - ages: "25 år", "25-åring", "i 20-årsåldern", "25 år gammal";
// - small counts: one or two people in words or digits ("en till studier", "två har gått till
//   arbete", "1 deltagare", "ett par deltagare") near a word about participants, work, studies,
//   women or men — the figures are shown "färre än 3" on the public page, and the text must not
//   give them away;
// - a personnummer in any form (domain/personnummer.ts, the screen every text passes): a
//   submission holding one is refused at the door, so this catches one typed in a redaction.
import { containsIdentityNumber } from './personnummer.js';
import { FIRST_NAMES, NAMES_ALSO_WORDS } from './fornamn.js';
import { MUNICIPALITIES, PLACES_ALSO_WORDS, placesOfMember } from './kommuner.js';
import type { FieldError } from './rapportuppgifter.js';

export type WarningKind = 'name' | 'place' | 'age' | 'small-count' | 'identity-number';

/** Where in the report: its narrative, or the comment of goal `goal` (1-based, as the pages number them). */
export type WarningWhere = { field: 'narrative' } | { field: 'goal'; goal: number };

export interface ReviewWarning {
  kind: WarningKind;
  /** The words matched, as written. */
  text: string;
  where: WarningWhere;
  /** Why it may point out a person, in Swedish, for the reviewer. */
  sv: string;
}

const SV: Record<WarningKind, (t: string) => string> = {
  name: (t) => `”${t}” ser ut att vara ett förnamn. Ett namn kan peka ut en deltagare; ta bort det eller skriv ”en deltagare”.`,
  place: (t) => `”${t}” är ett ortnamn. Tillsammans med annat i texten kan en ort peka ut en deltagare; ta bort det om det gäller en person.`,
  age: (t) => `”${t}” anger en ålder. En ålder kan peka ut en deltagare; ta bort den eller skriv ett åldersspann för gruppen.`,
  'small-count': (t) => `”${t}” anger ett litet antal personer (en eller två). Antal under 3 visas inte på den offentliga sidan, och texten får inte avslöja dem; skriv ”färre än tre” eller ta bort det.`,
  'identity-number': (t) => `”${t}” ser ut att vara ett personnummer. Det får aldrig publiceras; ta bort det.`,
};

const LETTER = '[\\p{L}\\p{N}]';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether the text before `index` ends a sentence (or there is none): the start, after . ! ? : … or a blank line. */
export function atSentenceStart(text: string, index: number): boolean {
  const before = text.slice(0, index).replace(/[\s"'”“’(–—-]+$/u, '');
  if (!before) return true;
  if (/[.!?:…]$/.test(before)) return true;
  // A line of its own (a list, a new paragraph) starts like a sentence.
  return /\n/.test(text.slice(before.length, index));
}

/** One regex of whole words (with an optional genitive s), longest first so "Upplands Väsby" wins over parts of it. */
function wordsRegex(words: Iterable<string>): RegExp {
  const sorted = [...new Set(words)].sort((a, b) => b.length - a.length).map(escape);
  return new RegExp(`(?<!${LETTER}|[-])(${sorted.join('|')})(s)?(?!${LETTER})`, 'gu');
}

const NAMES = wordsRegex(FIRST_NAMES);
const PLACES = wordsRegex(MUNICIPALITIES);

// Ages: "25 år" (15–99, not "i 3 år"), "25-åring(en|ar|arna)", "i 20-årsåldern", "25-årig".
const AGE = new RegExp(
  `(?<!${LETTER})(?:i\\s+(?:[1-9]0)-?årsåldern|(?:1[5-9]|[2-9]\\d)\\s*-?\\s*åring(?:en|ar|arna)?|(?:1[5-9]|[2-9]\\d)-årig(?:a)?|(?:1[5-9]|[2-9]\\d)\\s+år(?:\\s+gammal|\\s+gamla|\\s+ung)?)(?!${LETTER})`,
  'giu',
);

// Small counts: one or two, as a word or a digit, then (within three words) a word about people,
// work or studies. "en/ett" are also the indefinite article; they count only before such a word.
const COUNT = '(?:en|ett|ena|1|två|2|båda|bägge|ett\\s+par|ett\\s+fåtal|någon\\s+enstaka|enstaka)';
const TOPIC =
  '(?:deltagare|deltagaren|deltagarna|person|personer|personen|kvinna|kvinnor|kvinnan|man|män|mannen|ungdom|ungdomar|ungdomen|kille|killar|tjej|tjejer|flicka|pojke|individ|individer|arbete|arbetet|jobb|jobbet|anställning|studier|studera|utbildning|praktik|av\\s+dem|av\\s+deltagarna|av\\s+kvinnorna|av\\s+männen)';
const SMALL = new RegExp(`(?<!${LETTER})(${COUNT}(?:\\s+[\\p{L}-]+){0,3}?\\s+${TOPIC})(?!${LETTER})`, 'giu');

function identityMatches(text: string): string[] {
  if (!containsIdentityNumber(text)) return [];
  const found: string[] = [];
  for (const [m] of text.matchAll(/\d[\d\s\-+./\u2010-\u2015\u2212]{6,18}\d/g)) if (containsIdentityNumber(m)) found.push(m);
  return found.length ? found : ['(personnummer)'];
}

/** The warnings of one text. `places`: the förbund's own place names, besides the municipalities. */
export function textWarnings(text: string, where: WarningWhere, places: readonly string[] = []): ReviewWarning[] {
  const out: ReviewWarning[] = [];
  const seen = new Set<string>();
  const add = (kind: WarningKind, t: string) => {
    const key = `${kind}:${t}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, text: t, where, sv: SV[kind](t) });
  };
  for (const t of identityMatches(text)) add('identity-number', t);
  for (const m of text.matchAll(NAMES)) {
    const name = m[1];
    if (NAMES_ALSO_WORDS.has(name) && atSentenceStart(text, m.index!)) continue;
    add('name', m[0]);
  }
  const own = places.filter((p) => p && !MUNICIPALITIES.includes(p));
  for (const re of own.length ? [PLACES, wordsRegex(own)] : [PLACES]) {
    for (const m of text.matchAll(re)) {
      if (PLACES_ALSO_WORDS.has(m[1]) && atSentenceStart(text, m.index!)) continue;
      // A place that is also a given name ("Nora", "Vilhelmina") is reported once, as a name.
      if (seen.has(`name:${m[0]}`)) continue;
      add('place', m[0]);
    }
  }
  for (const m of text.matchAll(AGE)) add('age', m[0]);
  for (const m of text.matchAll(SMALL)) add('small-count', m[1].replace(/\s+/g, ' '));
  return out;
}

/** The texts of one version as the reviewer reads them: the narrative and each goal's comment (null: none). */
export interface ReviewTexts {
  narrative: string;
  comments: (string | null | undefined)[];
}

/** Every warning of a report's text, the narrative first, then the goals in order. */
export function reviewWarnings(texts: ReviewTexts, o: { memberNames?: readonly string[] } = {}): ReviewWarning[] {
  const places = (o.memberNames ?? []).flatMap(placesOfMember);
  return [
    ...textWarnings(texts.narrative, { field: 'narrative' }, places),
    ...texts.comments.flatMap((c, i) => (c ? textWarnings(c, { field: 'goal', goal: i + 1 }, places) : [])),
  ];
}

/** 'i beskrivningen' / 'i kommentaren till mål 2' */
export const whereSv = (w: WarningWhere) => (w.field === 'narrative' ? 'i beskrivningen' : `i kommentaren till mål ${w.goal}`);

// --- the reviewer's decision, checked ---

export const MAX_REASON = 2_000;
export const MAX_PUBLISHED_NARRATIVE = 20_000;
export const MAX_PUBLISHED_COMMENT = 2_000;

export type ReviewDecision = 'approve' | 'return';

/** A decision as checked: the version read, and for an approval the published text (undefined: as submitted). */
export type CheckedReview =
  | { decision: 'approve'; version: number; publishedText?: { narrative: string; comments: (string | null)[] } }
  | { decision: 'return'; version: number; reason: string };

/**
 * Checks a decision against the version it names (its narrative and goal comments as submitted).
 * `narrative`/`comments` given with an approval are the text as published; equal to the
 * submitted text they change nothing (published as submitted). Every problem names its field.
 */
export function checkReview(body: { version: number; decision: ReviewDecision; narrative?: string; comments?: (string | null)[]; reason?: string }, submitted: ReviewTexts): { ok: true; value: CheckedReview } | { ok: false; errors: (FieldError & { sv: string })[] } {
  const errors: (FieldError & { sv: string })[] = [];
  if (body.decision === 'return') {
    const reason = (body.reason ?? '').trim();
    if (!reason) errors.push({ field: 'reason', problem: 'is required when the report is sent back: the coordinator is told why', sv: 'Skriv varför rapporten skickas tillbaka. Samordnaren får texten i sitt mejl.' });
    else if (reason.length > MAX_REASON) errors.push({ field: 'reason', problem: `must be at most ${MAX_REASON} characters`, sv: `Skriv högst ${MAX_REASON} tecken.` });
    else if (containsIdentityNumber(reason)) errors.push({ field: 'reason', problem: 'looks like it contains a personal identity number', sv: 'Texten ser ut att innehålla ett personnummer. Ta bort det.' });
    if (body.narrative !== undefined) errors.push({ field: 'narrative', problem: 'only with decision approve', sv: 'Texten att publicera anges bara när rapporten godkänns.' });
    if (body.comments !== undefined) errors.push({ field: 'comments', problem: 'only with decision approve', sv: 'Texten att publicera anges bara när rapporten godkänns.' });
    return errors.length ? { ok: false, errors } : { ok: true, value: { decision: 'return', version: body.version, reason } };
  }
  if (body.reason !== undefined && body.reason.trim()) errors.push({ field: 'reason', problem: 'only with decision return', sv: 'En anledning anges bara när rapporten skickas tillbaka.' });
  const narrative = body.narrative === undefined ? submitted.narrative : body.narrative.replace(/\r\n?/g, '\n').trim();
  if (body.narrative !== undefined) {
    if (!narrative) errors.push({ field: 'narrative', problem: 'must not be empty; to publish no text, send the report back', sv: 'Texten att publicera får inte vara tom. Skicka hellre tillbaka rapporten till samordnaren.' });
    else if (narrative.length > MAX_PUBLISHED_NARRATIVE) errors.push({ field: 'narrative', problem: `must be at most ${MAX_PUBLISHED_NARRATIVE} characters`, sv: `Skriv högst ${MAX_PUBLISHED_NARRATIVE} tecken.` });
    else if (containsIdentityNumber(narrative)) errors.push({ field: 'narrative', problem: 'looks like it contains a personal identity number', sv: 'Texten ser ut att innehålla ett personnummer. Ta bort det.' });
  }
  // A text approved as submitted is screened too: it was screened when it came in, but by the rule of
  // that day, and it must never reach the public page with a personnummer in it.
  const asSubmittedSv = 'Den inlämnade texten ser ut att innehålla ett personnummer och kan inte publiceras som den är. Skriv texten att publicera utan det, eller skicka tillbaka rapporten.';
  const asSubmitted = 'the submitted text looks like it contains a personal identity number; send the text to publish without it, or send the report back';
  if (body.narrative === undefined && containsIdentityNumber(narrative)) errors.push({ field: 'narrative', problem: asSubmitted, sv: asSubmittedSv });
  const goals = submitted.comments.length;
  const comments: (string | null)[] = Array.from({ length: goals }, () => null);
  if (body.comments !== undefined) {
    if (body.comments.length !== goals) errors.push({ field: 'comments', problem: `must have one entry per goal (${goals}); null keeps a comment as submitted`, sv: `Ange en kommentar per mål (${goals}).` });
    else
      body.comments.forEach((c, i) => {
        if (c === null) return;
        const t = c.replace(/\r\n?/g, '\n').trim();
        if (t.length > MAX_PUBLISHED_COMMENT) errors.push({ field: `comments[${i}]`, problem: `must be at most ${MAX_PUBLISHED_COMMENT} characters`, sv: `Skriv högst ${MAX_PUBLISHED_COMMENT} tecken.` });
        else if (containsIdentityNumber(t)) errors.push({ field: `comments[${i}]`, problem: 'looks like it contains a personal identity number', sv: 'Texten ser ut att innehålla ett personnummer. Ta bort det.' });
        else if (t !== (submitted.comments[i] ?? '').trim()) comments[i] = t;
      });
  }
  comments.forEach((c, i) => {
    const kept = body.comments === undefined || body.comments[i] === null;
    if (c === null && kept && containsIdentityNumber(submitted.comments[i] ?? '')) errors.push({ field: `comments[${i}]`, problem: asSubmitted, sv: asSubmittedSv });
  });
  if (errors.length) return { ok: false, errors };
  const changed = narrative !== submitted.narrative.trim() || comments.some((c) => c !== null);
  return { ok: true, value: { decision: 'approve', version: body.version, ...(changed ? { publishedText: { narrative, comments } } : {}) } };
}
