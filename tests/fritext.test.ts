// The one screen for free text (domain/fritext.ts): control characters by kind of field, the
// personnummer in every form, the walk over a whole body without recursion.
import { describe, expect, it } from 'vitest';
import { controlProblem, fieldName, isMultiline, nestingDepth, screenField, screenValue, textProblem, withScreen } from '../domain/fritext.js';

describe('control characters', () => {
  it('one-line fields take no line break, C0/C1 control, line separator, bidi override or isolate (a tab is white space)', () => {
    expect(controlProblem('steg\tframåt', false)).toBeUndefined();
    for (const bad of ['a\nb', 'a\r\nb', 'a\rb', 'a\u0000b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\u009bb', 'a\u2028b', 'a\u2029b', 'a\u202ab', 'a\u202eb', 'a\u2066b', 'a\u2069b', 'a\ud800b']) {
      expect(controlProblem(bad, false), JSON.stringify(bad)).toBeDefined();
    }
    expect(controlProblem('Kumla stadshus, sal 3 – Åsa & Örjan 😀', false)).toBeUndefined();
    expect(controlProblem('a\u202eb', false)?.problem).toBe('must be one line of text without control characters (U+202E bidi override)');
    expect(controlProblem('a\ud800', false)?.problem).toBe('is not valid Unicode text (U+D800 lone surrogate)');
  });

  it('multi-line fields keep LF, CR LF and tab, but no lone CR, other control or bidi override', () => {
    expect(controlProblem('Stycke ett.\n\nStycke två,\r\nmed\tflik.', true)).toBeUndefined();
    for (const bad of ['a\rb', 'a\u0007b', 'a\u202eb', 'a\u2067b', 'a\u0085b', 'a\u000bb']) expect(controlProblem(bad, true), JSON.stringify(bad)).toBeDefined();
  });

  it('which fields are multi-line: by the last name of the path', () => {
    for (const f of ['narrative', 'figures.goals[0].comment', 'reservations[2].text', 'items[0].proposal', 'decision', 'description', '/projects/3/note', 'vote.result']) expect(isMultiline(f), f).toBe(true);
    for (const f of ['title', 'items[0].title', 'location', 'name', 'documents[1].url', 'goals[0]', '/people/0/name', 'submittedBy', 'key']) expect(isMultiline(f), f).toBe(false);
  });
});

describe('the screen of one text and of a whole body', () => {
  it('a personnummer or a control character, with English for the API and Swedish for a form', () => {
    expect(textProblem('Mötet 2026-12-12 i Kumla')).toBeUndefined();
    expect(textProblem('Om 1912-12-12-1212')).toMatchObject({ kind: 'identity-number', sv: expect.stringContaining('personnummer') });
    expect(screenField('location', 'Kumla\nBcc: x')).toMatchObject({ field: 'location', kind: 'control', sv: 'Texten får bara vara en rad, utan radbrytningar eller osynliga styrtecken.' });
    expect(screenField('narrative', 'rad 1\nrad 2')).toBeUndefined();
    expect(screenField('count', 12)).toBeUndefined();
  });

  it('every text and key of a body, named as the API names fields, in order', () => {
    const found = screenValue({ title: 'ok', items: [{ title: 'a\nb' }, { proposal: 'x\ny' }], documents: [{ url: 'https://x.example/121212%2F1212.pdf' }], figures: { goals: [{ comment: 'rad\nrad' }] }, map: { 'k\n': 1 } });
    expect(found.map((p) => [fieldName(p.path), p.kind, p.key])).toEqual([
      ['items[0].title', 'control', false],
      ['documents[0].url', 'identity-number', false],
      ['map.k\n', 'control', true],
    ]);
    expect(screenValue({ narrative: '121212-1212' }, { identityNumbers: false })).toEqual([]);
  });

  it('walks a body nested 100,000 deep without exhausting the stack, and counts its depth', () => {
    const deep = JSON.parse('['.repeat(100_000) + '"a\\nb"' + ']'.repeat(100_000)) as unknown;
    expect(screenValue(deep)).toHaveLength(1);
    expect(nestingDepth(deep, 64)).toBe(65);
    expect(nestingDepth({ a: [{ b: [] }] }, 64)).toBe(4);
    expect(nestingDepth('text', 64)).toBe(0);
  });

  it('adds its problems to a validation result, each field once', () => {
    expect(withScreen({ narrative: 'ok' }, { ok: true, value: 1 })).toEqual({ ok: true, value: 1 });
    expect(withScreen({ narrative: '121212-1212', submittedBy: 'a\nb' }, { ok: false, errors: [{ field: 'narrative', problem: 'from the domain' }] })).toEqual({
      ok: false,
      errors: [
        { field: 'narrative', problem: 'from the domain' },
        { field: 'submittedBy', problem: 'must be one line of text without control characters (U+000A line feed)', sv: 'Texten får bara vara en rad, utan radbrytningar eller osynliga styrtecken.' },
      ],
    });
  });
});
