// The one screen for free text (domain/fritext.ts), as the person refused reads it: which character
// the refusal names, the Swedish they are told, the hint for a YAML block scalar, which fields may
// run over several lines, and the walk over a body (its limit, its nulls, its depth).
import { describe, expect, it } from 'vitest';
import { controlProblem, IDENTITY_NUMBER_SV, IDENTITY_NUMBER_TEXT, isMultiline, nestingDepth, screenValue, withScreen } from '../domain/fritext.js';

const ONE_LINE_SV = 'Texten får bara vara en rad, utan radbrytningar eller osynliga styrtecken.';
const YAML_HINT = '; a YAML block scalar (> or |) ends with a line break: write the text on one line or use >-';

describe('control characters', () => {
  it('a one-line refusal names the character by its code point and its kind', () => {
    const named: [string, string][] = [
      ['Kumla\u001bstadshus', 'U+001B control character'],
      ['Kumla\u202astadshus', 'U+202A bidi override'],
      ['Kumla\u200estadshus', 'U+200E direction mark'],
      ['Kumla\u200fstadshus', 'U+200F direction mark'],
      ['Kumla\u061cstadshus', 'U+061C direction mark'],
      ['Kumla\u2066stadshus', 'U+2066 bidi isolate'],
      ['Kumla\u2069stadshus', 'U+2069 bidi isolate'],
    ];
    for (const [text, what] of named) {
      expect(controlProblem(text, false), JSON.stringify(text)).toEqual({ kind: 'control', problem: `must be one line of text without control characters (${what})`, sv: ONE_LINE_SV });
    }
  });

  it('a lone surrogate is not valid Unicode, in any field, and the person is asked to type the text again', () => {
    const invalid = { kind: 'control', sv: 'Texten innehåller ett ogiltigt tecken. Skriv in den igen.' };
    expect(controlProblem('Kumla\udfff', false)).toEqual({ ...invalid, problem: 'is not valid Unicode text (U+DFFF lone surrogate)' });
    expect(controlProblem('Rad ett\nrad två \ud800', true)).toEqual({ ...invalid, problem: 'is not valid Unicode text (U+D800 lone surrogate)' });
  });

  it('a multi-line refusal names the character and asks, in Swedish, for the text again without control characters', () => {
    const sv = 'Texten innehåller osynliga styrtecken. Skriv in den igen utan dem.';
    expect(controlProblem('Rad ett\nrad\u0007 två', true)).toEqual({ kind: 'control', problem: 'must not hold invisible control characters (U+0007 control character)', sv });
    expect(controlProblem('Rad ett\rrad två', true)).toEqual({ kind: 'control', problem: 'must not hold invisible control characters (U+000D carriage return)', sv });
    expect(controlProblem('Rad ett\n\u202erad två', true)).toEqual({ kind: 'control', problem: 'must not hold invisible control characters (U+202E bidi override)', sv });
  });

  it('a one-line text whose only fault is a line break at its end (a YAML block scalar) is told to use >-', () => {
    expect(controlProblem('Kumla stadshus\n', false)).toEqual({ kind: 'control', problem: `must be one line of text without control characters (U+000A line feed)${YAML_HINT}`, sv: ONE_LINE_SV });
  });

  it('no YAML hint when the text has another fault than the break at its end, or ends in something else', () => {
    expect(controlProblem('Kumla\u001b stadshus\n', false)?.problem).toBe('must be one line of text without control characters (U+001B control character)');
    expect(controlProblem('Kumla\nstadshus\n', false)?.problem).toBe('must be one line of text without control characters (U+000A line feed)');
    expect(controlProblem('Kumla stadshus\r', false)?.problem).toBe('must be one line of text without control characters (U+000D carriage return)');
    expect(controlProblem('Kumla stadshus\u2028', false)?.problem).toBe('must be one line of text without control characters (U+2028 line separator)');
  });

  it('an element of a multi-line list is multi-line too, whatever its index', () => {
    for (const f of ['notes[3]', 'notes[12]', '/notes/3', '/notes/12', 'projects[10].notes[11]']) expect(isMultiline(f), f).toBe(true);
    for (const f of ['title[12]', '/titles/12', 'notes[12].title']) expect(isMultiline(f), f).toBe(false);
  });
});

describe('the screen of a whole body', () => {
  it('reports at most `max` problems (50 unless told), the first ones in order', () => {
    const found = screenValue(['a\nb', 'c\nd', 'e\nf'], { max: 2 });
    expect(found.map((p) => p.path)).toEqual([[0], [1]]);
    expect(screenValue(Array.from({ length: 60 }, (_, i) => `rad ${i}\nrad`))).toHaveLength(50);
  });

  it('counts refused keys within the same limit, the first ones in order', () => {
    expect(screenValue({ 'a\n': 1, 'b\n': 1, 'c\n': 1 }, { max: 2 }).map((p) => [p.path, p.key])).toEqual([
      [['a\n'], true],
      [['b\n'], true],
    ]);
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`nyckel ${i}\n`, i]));
    expect(screenValue(many)).toHaveLength(50);
  });

  it('passes over nulls, numbers and booleans, and a missing body', () => {
    const found = screenValue({ title: null, items: [null, 3, true, { title: 'a\nb', due: null }] });
    expect(found.map((p) => [p.path, p.problem])).toEqual([[['items', 3, 'title'], 'must be one line of text without control characters (U+000A line feed)']]);
    const refused = { ok: false as const, errors: [{ field: '(body)', problem: 'must be an object' }] };
    expect(withScreen(undefined, refused)).toEqual(refused);
    expect(withScreen(null, refused)).toEqual(refused);
  });

  it('a key with a personnummer passes when identity numbers are not screened, and is refused otherwise', () => {
    expect(screenValue({ figures: { '121212-1212': 'x' } }, { identityNumbers: false })).toEqual([]);
    expect(screenValue({ figures: { '121212-1212': 'x' } })).toEqual([{ kind: 'identity-number', problem: IDENTITY_NUMBER_TEXT, sv: IDENTITY_NUMBER_SV, path: ['figures', '121212-1212'], key: true }]);
  });

  it('turns a valid result into a refusal naming each field the screen refuses', () => {
    expect(withScreen({ narrative: 'Om 121212-1212', title: 'ok' }, { ok: true, value: 1 })).toEqual({
      ok: false,
      errors: [{ field: 'narrative', problem: IDENTITY_NUMBER_TEXT, sv: IDENTITY_NUMBER_SV }],
    });
  });

  it('a body that is one text is named (body)', () => {
    expect(withScreen('Kumla\nstadshus', { ok: true, value: 1 })).toEqual({
      ok: false,
      errors: [{ field: '(body)', problem: 'must be one line of text without control characters (U+000A line feed)', sv: ONE_LINE_SV }],
    });
  });

  it('the depth is that of the deepest branch, whichever branch is walked last', () => {
    expect(nestingDepth({ shallow: {}, deep: [[[]]] }, 64)).toBe(4);
    expect(nestingDepth({ deep: [[[]]], shallow: {} }, 64)).toBe(4);
  });

  it('a null or a number has no depth', () => {
    expect(nestingDepth(null, 64)).toBe(0);
    expect(nestingDepth(12, 64)).toBe(0);
  });
});
