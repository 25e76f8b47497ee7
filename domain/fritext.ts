// The one screen for free text, in every way text comes in: API bodies (api/app.ts screens every
// string of a JSON body), the pages' forms (through the same services and shared actions), the
// coordinators' reports and drafts, and the förbund file (domain/forbund-file.ts).
//
// A text is refused when
// - it holds a personal identity number, however it is written (domain/personnummer.ts: NFKC,
//   digits of any script, invisible characters removed, any run of separators);
// - a one-line field (a name, a title, a place, a key, an address) holds a line break or another
//   control character (C0, DEL, C1, U+2028/U+2029): in a plain-text mail it would start a line of
//   its own, or a header (a tab is white space, and taken);
// - any field holds a bidi override or isolate (U+202A–U+202E, U+2066–U+2069), which shows text in
//   another order than it is stored, or another control character than a line break or a tab
//   (a multi-line field: a narrative, a comment, a decision, a description);
// - it is not valid Unicode (a lone surrogate, which would be stored as U+FFFD).
import { containsIdentityNumber } from './personnummer.js';
import type { FieldError } from './rapportuppgifter.js';

/** Fields whose text may run over several lines (by the last name of the field's path). */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['narrative', 'comment', 'text', 'proposal', 'decision', 'description', 'note', 'notes', 'result', 'reply', 'message', 'purpose']);

export type TextProblemKind = 'identity-number' | 'control';
export interface TextProblem {
  kind: TextProblemKind;
  /** English, after the field's name. */
  problem: string;
  /** Swedish, for a form. */
  sv: string;
}

export const IDENTITY_NUMBER_TEXT = 'looks like it contains a personal identity number (personnummer); Årscykel holds none';
export const IDENTITY_NUMBER_SV = 'Texten ser ut att innehålla ett personnummer. Ta bort det; Årscykel sparar inga personnummer.';

// eslint-disable-next-line no-control-regex
const ONE_LINE_BAD = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]|[\ud800-\udfff]/u;
// eslint-disable-next-line no-control-regex
const MULTILINE_BAD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)|[\ud800-\udfff]/u;

const NAMES: Record<number, string> = { 0x0: 'NUL', 0x9: 'tab', 0xa: 'line feed', 0xd: 'carriage return', 0x2028: 'line separator', 0x2029: 'paragraph separator' };
const describe = (ch: string) => {
  const cp = ch.codePointAt(0)!;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES[cp] ?? (cp >= 0x202a && cp <= 0x202e ? 'bidi override' : cp === 0x200e || cp === 0x200f || cp === 0x61c ? 'direction mark' : cp >= 0x2066 && cp <= 0x2069 ? 'bidi isolate' : cp >= 0xd800 && cp <= 0xdfff ? 'lone surrogate' : 'control character');
  return `${hex} ${name}`;
};

/** Whether a field (a path such as `items[0].title` or `/projects/1/note`) may hold several lines. */
export function isMultiline(field: string): boolean {
  const last = /([A-Za-z_][\w-]*)(?:\[\d+\]|\/\d+)*$/.exec(field)?.[1] ?? field;
  return MULTILINE_FIELDS.has(last);
}

/** What is wrong with a control character in the text, if anything. */
export function controlProblem(text: string, multiline: boolean): TextProblem | undefined {
  const m = (multiline ? MULTILINE_BAD : ONE_LINE_BAD).exec(text);
  if (!m) return undefined;
  const what = describe(m[0]);
  if (/^U\+D[89A-F]/.test(what)) return { kind: 'control', problem: `is not valid Unicode text (${what})`, sv: 'Texten innehåller ett ogiltigt tecken. Skriv in den igen.' };
  if (multiline) return { kind: 'control', problem: `must not hold invisible control characters (${what})`, sv: 'Texten innehåller osynliga styrtecken. Skriv in den igen utan dem.' };
  const trailingBreak = /^[^\n]*\n$/.test(text) && !ONE_LINE_BAD.test(text.slice(0, -1));
  return {
    kind: 'control',
    problem: `must be one line of text without control characters (${what})${trailingBreak ? '; a YAML block scalar (> or |) ends with a line break: write the text on one line or use >-' : ''}`,
    sv: 'Texten får bara vara en rad, utan radbrytningar eller osynliga styrtecken.',
  };
}

/** The screen for one text: undefined when it may be stored. */
export function textProblem(text: string, opts: { multiline?: boolean; identityNumbers?: boolean } = {}): TextProblem | undefined {
  const control = controlProblem(text, opts.multiline ?? false);
  if (control) return control;
  if (opts.identityNumbers !== false && containsIdentityNumber(text)) return { kind: 'identity-number', problem: IDENTITY_NUMBER_TEXT, sv: IDENTITY_NUMBER_SV };
  return undefined;
}

/** The screen for a named field (one line unless its name is in MULTILINE_FIELDS); non-strings pass. */
export function screenField(field: string, value: unknown, opts: { multiline?: boolean } = {}): (FieldError & { sv: string; kind: TextProblemKind }) | undefined {
  if (typeof value !== 'string') return undefined;
  const p = textProblem(value, { multiline: opts.multiline ?? isMultiline(field) });
  return p ? { field, problem: p.problem, sv: p.sv, kind: p.kind } : undefined;
}

/** Every field of `fields` (name → value) that the screen refuses. */
export function screenFields(fields: Record<string, unknown>): (FieldError & { sv: string; kind: TextProblemKind })[] {
  return Object.entries(fields).flatMap(([field, value]) => screenField(field, value) ?? []);
}

export interface ScreenedValue extends TextProblem {
  /** Where, as the keys and indexes from the top. */
  path: (string | number)[];
  /** Whether it was a key of an object rather than a text. */
  key: boolean;
}

/**
 * Every text (and every key) in a parsed JSON or YAML value that the screen refuses, walked without
 * recursion (so no nesting can exhaust the stack); at most `max` problems.
 */
export function screenValue(value: unknown, opts: { identityNumbers?: boolean; max?: number } = {}): ScreenedValue[] {
  const max = opts.max ?? 50;
  const out: ScreenedValue[] = [];
  // Paths are kept as links to the parent (a deep body must not cost depth² to walk).
  type At = { key: string | number; up: At | undefined; name: string } | undefined;
  const pathOf = (at: At) => {
    const path: (string | number)[] = [];
    for (let a = at; a; a = a.up) path.push(a.key);
    return path.reverse();
  };
  const stack: { v: unknown; at: At }[] = [{ v: value, at: undefined }];
  while (stack.length && out.length < max) {
    const { v, at } = stack.pop()!;
    if (typeof v === 'string') {
      const p = textProblem(v, { multiline: MULTILINE_FIELDS.has(at?.name ?? ''), identityNumbers: opts.identityNumbers });
      if (p) out.push({ ...p, path: pathOf(at), key: false });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], at: { key: i, up: at, name: at?.name ?? '' } });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      const keyProblems = entries.map(([k]) => textProblem(k, { identityNumbers: opts.identityNumbers }));
      entries.forEach(([k], i) => {
        const p = keyProblems[i];
        if (p && out.length < max) out.push({ ...p, path: pathOf({ key: k, up: at, name: k }), key: true });
      });
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i];
        if (!keyProblems[i]) stack.push({ v: child, at: { key: k, up: at, name: k } });
      }
    }
  }
  return out;
}

/** A path as the API names fields: `items[0].title` ('(body)' for the whole body). */
export const fieldName = (path: (string | number)[]) =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '') || '(body)';

/** A validation result with the screen's problems of `body` added (each field once). */
export function withScreen<T>(body: unknown, result: { ok: true; value: T } | { ok: false; errors: FieldError[] }, opts: { identityNumbers?: boolean } = {}): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  const found = screenValue(body, opts).map((p) => ({ field: fieldName(p.path), problem: p.problem, sv: p.sv }));
  if (!found.length) return result;
  const errors = result.ok ? [] : [...result.errors];
  for (const f of found) if (!errors.some((e) => e.field === f.field)) errors.push(f);
  return { ok: false, errors };
}

/** The depth of nesting of a parsed JSON value, counted without recursion; stops once past `limit`. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) if (child !== null && typeof child === 'object') stack.push([child, depth]);
  }
  return deepest;
}
