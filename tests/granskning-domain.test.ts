// The review's warnings (domain/granskning.ts): what in a report's text may point out a person —
// given names, places, ages, small counts, personnummer — as warnings for the reviewer, and the
// reviewer's decision checked field by field.
import { describe, expect, it } from 'vitest';
import { atSentenceStart, checkReview, reviewWarnings, textWarnings } from '../domain/granskning.js';
import { FIRST_NAMES, MEN, NAMES_ALSO_WORDS, WOMEN } from '../domain/fornamn.js';
import { MUNICIPALITIES, placesOfMember } from '../domain/kommuner.js';

const N = { field: 'narrative' } as const;
const kinds = (text: string, places: string[] = []) => textWarnings(text, N, places).map((w) => [w.kind, w.text]);

describe('the data', () => {
  it('290 municipalities, each once; a few hundred given names of women and men', () => {
    expect(MUNICIPALITIES).toHaveLength(290);
    expect(new Set(MUNICIPALITIES).size).toBe(290);
    for (const k of ['Kumla', 'Hallsberg', 'Laxå', 'Askersund', 'Lekeberg', 'Örebro', 'Upplands Väsby', 'Malung-Sälen', 'Östra Göinge', 'Gotland']) expect(MUNICIPALITIES).toContain(k);
    expect(WOMEN.length).toBeGreaterThan(150);
    expect(MEN.length).toBeGreaterThan(150);
    expect(FIRST_NAMES.size).toBe(new Set([...WOMEN, ...MEN]).size);
    for (const n of NAMES_ALSO_WORDS) expect(FIRST_NAMES.has(n)).toBe(true);
  });

  it("a member's place: Kumla kommun → Kumla, Hallsbergs kommun → Hallsberg, Region Örebro län → Örebro; none for an authority", () => {
    expect(placesOfMember('Kumla kommun')).toEqual(['Kumla']);
    expect(placesOfMember('Hallsbergs kommun')).toEqual(['Hallsberg', 'Hallsbergs']);
    expect(placesOfMember('Askersunds kommun')).toEqual(['Askersund', 'Askersunds']);
    expect(placesOfMember('Region Örebro län')).toEqual(['Örebro']);
    expect(placesOfMember('Försäkringskassan')).toEqual([]);
    expect(placesOfMember('Arbetsförmedlingen')).toEqual([]);
  });
});

describe('textWarnings', () => {
  it('the final report seen in production: a name, a place and a count of one', () => {
    const w = textWarnings('En deltagare, Anna från Kumla, fick jobb.', N);
    expect(w.map((x) => [x.kind, x.text])).toEqual([
      ['name', 'Anna'],
      ['place', 'Kumla'],
      ['small-count', 'En deltagare'],
    ]);
    expect(w[0].sv).toContain('förnamn');
    expect(w[0].where).toEqual(N);
  });

  it('"Tre har gått till arbete, en till studier" defeats the small-count rule of the figures: warned', () => {
    expect(kinds('Tre har gått till arbete, en till studier.')).toEqual([['small-count', 'en till studier']]);
    expect(kinds('Två har gått till arbete.')).toEqual([['small-count', 'Två har gått till arbete']]);
    expect(kinds('Under kvartalet har 1 deltagare avslutat.')).toEqual([['small-count', '1 deltagare']]);
    expect(kinds('Ett par deltagare har börjat praktik.')).toEqual([['small-count', 'Ett par deltagare']]);
    expect(kinds('Två kvinnor och en man har fått anställning.').map(([k]) => k)).toEqual(['small-count', 'small-count']);
    // Three or more is an aggregate.
    expect(kinds('Tre deltagare har fått arbete och 14 deltagare är aktiva.')).toEqual([]);
  });

  it('ages in their usual forms', () => {
    expect(kinds('Hon är 25 år och bor hemma.')).toEqual([['age', '25 år']]);
    expect(kinds('En 25-åring fick jobb.').map(([k, t]) => [k, t])).toContainEqual(['age', '25-åring']);
    expect(kinds('Deltagare i 20-årsåldern.')).toEqual([['age', 'i 20-årsåldern']]);
    // A duration is not an age.
    expect(kinds('Projektet pågår i 3 år.')).toEqual([]);
  });

  it('a personnummer in any form', () => {
    expect(kinds('Deltagaren 19121212-1212 har slutat.').map(([k]) => k)).toContain('identity-number');
    expect(kinds('Dnr 2026-00012, telefon 019-58 50 00.')).toEqual([]);
  });

  it("names that are also words only where they do not start a sentence; lower case never", () => {
    expect(kinds('Per kvartal träffas gruppen. Inga deltagare slutade. Hans mål är nått. Maj var lugn. Bo och verka.')).toEqual([]);
    expect(kinds('Vi har 3 träffar per kvartal och inga avbrott; maj var lugn.')).toEqual([]);
    expect(kinds('Handledaren Per har haft kontakt med Bo och Inga.')).toEqual([
      ['name', 'Per'],
      ['name', 'Bo'],
      ['name', 'Inga'],
    ]);
    // A name that is no word is a name also at the start: Ronja.
    expect(kinds('Ronja har fått praktik.')).toEqual([['name', 'Ronja']]);
    // The genitive.
    expect(kinds('Vi stöttade Annas familj.')).toEqual([['name', 'Annas']]);
  });

  it("places: the municipalities and the förbund's members' places, whole words; a place that is a word only mid-sentence", () => {
    expect(kinds('Träffar i Hallsberg och Upplands Väsby.')).toEqual([['place', 'Hallsberg'], ['place', 'Upplands Väsby']]);
    expect(kinds('Mark och lokaler har ordnats. Vara med i gruppen.')).toEqual([]);
    expect(kinds('Vi har träffats i Vara.')).toEqual([['place', 'Vara']]);
    expect(kinds('Vi har träffats på Hällabrottet.', ['Hällabrottet'])).toEqual([['place', 'Hällabrottet']]);
    // Not inside another word.
    expect(kinds('Kumlaborna och örebroarna.')).toEqual([]);
  });

  it('sentence starts', () => {
    expect(atSentenceStart('Per', 0)).toBe(true);
    expect(atSentenceStart('Klart. Per', 7)).toBe(true);
    expect(atSentenceStart('Klart.\n\n– Per', 10)).toBe(true);
    expect(atSentenceStart('med Per', 4)).toBe(false);
  });
});

describe('reviewWarnings', () => {
  it('the narrative, then each goal by its number (1-based), with the members\' places', () => {
    const w = reviewWarnings({ narrative: 'Bra kvartal i Vretstorp.', comments: [null, 'Emma fick jobb.', ''] }, { memberNames: ['Vretstorps kommun'] });
    expect(w.map((x) => [x.kind, x.text, x.where])).toEqual([
      ['place', 'Vretstorp', { field: 'narrative' }],
      ['name', 'Emma', { field: 'goal', goal: 2 }],
    ]);
  });
});

describe('checkReview', () => {
  const submitted = { narrative: 'En deltagare, Anna från Kumla, fick jobb.', comments: ['Anna fick jobb.', null] };

  it('a return needs a reason; an approval takes no reason', () => {
    const r = checkReview({ version: 1, decision: 'return' }, submitted);
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['reason']);
    const r2 = checkReview({ version: 1, decision: 'return', reason: '   ', narrative: 'x' }, submitted);
    expect(r2.ok ? [] : r2.errors.map((e) => e.field)).toEqual(['reason', 'narrative']);
    expect(checkReview({ version: 1, decision: 'return', reason: ' Ta bort namnet. ' }, submitted)).toEqual({ ok: true, value: { decision: 'return', version: 1, reason: 'Ta bort namnet.' } });
    const r3 = checkReview({ version: 1, decision: 'approve', reason: 'x' }, submitted);
    expect(r3.ok ? [] : r3.errors.map((e) => e.field)).toEqual(['reason']);
  });

  it('an approval as submitted has no published text; a redaction keeps the comments not changed as null', () => {
    expect(checkReview({ version: 2, decision: 'approve' }, submitted)).toEqual({ ok: true, value: { decision: 'approve', version: 2 } });
    expect(checkReview({ version: 2, decision: 'approve', narrative: submitted.narrative, comments: ['Anna fick jobb.', ''] }, submitted)).toEqual({ ok: true, value: { decision: 'approve', version: 2 } });
    expect(checkReview({ version: 2, decision: 'approve', narrative: 'En deltagare fick jobb.\r\n', comments: ['En fick jobb.', null] }, submitted)).toEqual({
      ok: true,
      value: { decision: 'approve', version: 2, publishedText: { narrative: 'En deltagare fick jobb.', comments: ['En fick jobb.', null] } },
    });
  });

  it('names each field at fault: an empty narrative, a comment per goal, a personnummer', () => {
    const r = checkReview({ version: 1, decision: 'approve', narrative: '  ', comments: ['x'] }, submitted);
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['narrative', 'comments']);
    const r2 = checkReview({ version: 1, decision: 'approve', comments: [null, 'Personnr 19121212-1212'] }, submitted);
    expect(r2.ok ? [] : r2.errors.map((e) => [e.field, e.sv])).toEqual([['comments[1]', 'Texten ser ut att innehålla ett personnummer. Ta bort det.']]);
  });
});
