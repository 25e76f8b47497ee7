// The review's warnings (domain/granskning.ts): what in a report's text may point out a person —
// given names, places, ages, small counts, personnummer — as warnings for the reviewer, and the
// reviewer's decision checked field by field.
import { describe, expect, it } from 'vitest';
import { atSentenceStart, checkReview, MAX_PUBLISHED_COMMENT, MAX_PUBLISHED_NARRATIVE, MAX_REASON, reviewWarnings, textWarnings, whereSv } from '../domain/granskning.js';
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

describe('checkReview: a personnummer in the text as submitted', () => {
  // Submissions are screened when they come in; a text that still holds a personnummer (a rule made
  // stricter since) must not reach the public page by an approval as submitted.
  const sv = 'Den inlämnade texten ser ut att innehålla ett personnummer och kan inte publiceras som den är. Skriv texten att publicera utan det, eller skicka tillbaka rapporten.';
  const withNumber = { narrative: 'Deltagare 19121212-1212 fick jobb.', comments: ['Bra.', 'Ring 20121212-1212.'] };
  const errs = (r: ReturnType<typeof checkReview>) => (r.ok ? [] : r.errors.map((e) => [e.field, e.sv]));

  it('an approval as submitted is refused, naming the narrative and each goal comment that holds one', () => {
    expect(errs(checkReview({ version: 3, decision: 'approve' }, withNumber))).toEqual([
      ['narrative', sv],
      ['comments[1]', sv],
    ]);
  });

  it('a comment kept with null is screened; a comment rewritten, or a narrative sent, replaces what was submitted', () => {
    expect(errs(checkReview({ version: 3, decision: 'approve', narrative: 'En deltagare fick jobb.', comments: ['Bra.', null] }, withNumber))).toEqual([['comments[1]', sv]]);
    expect(checkReview({ version: 3, decision: 'approve', narrative: 'En deltagare fick jobb.', comments: [null, 'Ring samordnaren.'] }, withNumber)).toEqual({
      ok: true,
      value: { decision: 'approve', version: 3, publishedText: { narrative: 'En deltagare fick jobb.', comments: [null, 'Ring samordnaren.'] } },
    });
  });

  it('sending it back is still possible: the submitted text is not published', () => {
    expect(checkReview({ version: 3, decision: 'return', reason: 'Ta bort personnumret.' }, withNumber)).toEqual({ ok: true, value: { decision: 'return', version: 3, reason: 'Ta bort personnumret.' } });
  });
});

describe('what the reviewer reads: the Swedish text of each warning and where it is', () => {
  const sv = (text: string, places: string[] = []) => textWarnings(text, N, places).map((w) => [w.kind, w.sv]);

  it('each kind of warning says why the words may point out a person, and what to write instead', () => {
    expect(sv('Ronja har fått praktik.')).toEqual([['name', '”Ronja” ser ut att vara ett förnamn. Ett namn kan peka ut en deltagare; ta bort det eller skriv ”en deltagare”.']]);
    expect(sv('Vi har träffats i Hallsberg.')).toEqual([['place', '”Hallsberg” är ett ortnamn. Tillsammans med annat i texten kan en ort peka ut en deltagare; ta bort det om det gäller en person.']]);
    expect(sv('Hon är 25 år.')).toEqual([['age', '”25 år” anger en ålder. En ålder kan peka ut en deltagare; ta bort den eller skriv ett åldersspann för gruppen.']]);
    expect(sv('Under kvartalet har 1 deltagare avslutat.')).toEqual([
      ['small-count', '”1 deltagare” anger ett litet antal personer (en eller två). Antal under 3 visas inte på den offentliga sidan, och texten får inte avslöja dem; skriv ”färre än tre” eller ta bort det.'],
    ]);
    expect(sv('19121212-1212 har slutat.')).toEqual([['identity-number', '”19121212-1212” ser ut att vara ett personnummer. Det får aldrig publiceras; ta bort det.']]);
  });

  it('where: "i beskrivningen" or "i kommentaren till mål 2"', () => {
    expect(whereSv({ field: 'narrative' })).toBe('i beskrivningen');
    expect(whereSv({ field: 'goal', goal: 2 })).toBe('i kommentaren till mål 2');
  });
});

describe('textWarnings: the personnummer as written', () => {
  it('quotes the number as written, at the start of the text and in groups with spaces; a phone number beside it is no warning', () => {
    expect(kinds('19121212-1212 har slutat.')).toEqual([['identity-number', '19121212-1212']]);
    expect(kinds('(19121212-1212)')).toEqual([['identity-number', '19121212-1212']]);
    expect(kinds('Hon har nr 1912 12 12-1212, telefon 019-58 50 00.')).toEqual([['identity-number', '1912 12 12-1212']]);
  });

  it('a personnummer in full-width digits is caught though it cannot be quoted: "(personnummer)"', () => {
    expect(kinds('Personnummer １９１２１２１２－１２１２.')).toEqual([['identity-number', '(personnummer)']]);
  });
});

describe('textWarnings: each thing warned once, names before places', () => {
  it('a name written twice is one warning', () => {
    expect(kinds('Anna fick jobb. Anna är nöjd.')).toEqual([['name', 'Anna']]);
  });

  it('a place that is also a given name (Nora) is one warning, as a name; a place that is no name (Vilhelmina) is a place', () => {
    expect(kinds('Träffar i Nora.')).toEqual([['name', 'Nora']]);
    expect(kinds('Vi träffade Vilhelmina.')).toEqual([['place', 'Vilhelmina']]);
  });

  it('a small count over a double space or a line break is quoted on one line', () => {
    expect(kinds('Två  har\ngått till arbete.')).toEqual([['small-count', 'Två har gått till arbete']]);
  });
});

describe("textWarnings: the förbund's own place names", () => {
  it('the longer of two place names wins, and a dot in a place name is a dot', () => {
    expect(kinds('Träffar på Åsbro kursgård och i St. Olof.', ['Åsbro', 'Åsbro kursgård', 'St. Olof'])).toEqual([
      ['name', 'Olof'],
      ['place', 'Åsbro kursgård'],
      ['place', 'St. Olof'],
    ]);
  });

  it('a blank place name warns of nothing', () => {
    expect(kinds('Bra. Inget - klart .', [''])).toEqual([]);
  });
});

describe('atSentenceStart: a name that is also a word', () => {
  it('a full stop earlier in the sentence does not make it a sentence start', () => {
    expect(atSentenceStart('Klart. Vi träffade Per i dag.', 19)).toBe(false);
    expect(kinds('Klart. Vi träffade Per i dag.')).toEqual([['name', 'Per']]);
  });

  it('a line break after the word does not make it a sentence start', () => {
    expect(kinds('Vi träffade Per.\nKlart.')).toEqual([['name', 'Per']]);
  });
});

describe('checkReview: sending a report back', () => {
  const submitted = { narrative: 'En deltagare fick jobb.', comments: ['Bra.', null] };
  const errors = (r: ReturnType<typeof checkReview>) => (r.ok ? [] : r.errors);
  const PNR_SV = 'Texten ser ut att innehålla ett personnummer. Ta bort det.';

  it('without a reason: the reviewer is told the coordinator gets the text in the mail', () => {
    expect(errors(checkReview({ version: 1, decision: 'return', reason: ' ' }, submitted))).toEqual([
      { field: 'reason', problem: 'is required when the report is sent back: the coordinator is told why', sv: 'Skriv varför rapporten skickas tillbaka. Samordnaren får texten i sitt mejl.' },
    ]);
  });

  it(`a reason of at most ${MAX_REASON} characters`, () => {
    expect(checkReview({ version: 1, decision: 'return', reason: 'x'.repeat(MAX_REASON) }, submitted).ok).toBe(true);
    expect(errors(checkReview({ version: 1, decision: 'return', reason: 'x'.repeat(MAX_REASON + 1) }, submitted))).toEqual([
      { field: 'reason', problem: 'must be at most 2000 characters', sv: 'Skriv högst 2000 tecken.' },
    ]);
  });

  it('a reason with a personnummer is refused: it is mailed', () => {
    expect(errors(checkReview({ version: 1, decision: 'return', reason: 'Ta bort 19121212-1212.' }, submitted))).toEqual([
      { field: 'reason', problem: 'looks like it contains a personal identity number', sv: PNR_SV },
    ]);
  });

  it('a text to publish goes only with an approval', () => {
    expect(errors(checkReview({ version: 1, decision: 'return', reason: 'Ta bort namnet.', narrative: 'x', comments: [null, null] }, submitted))).toEqual([
      { field: 'narrative', problem: 'only with decision approve', sv: 'Texten att publicera anges bara när rapporten godkänns.' },
      { field: 'comments', problem: 'only with decision approve', sv: 'Texten att publicera anges bara när rapporten godkänns.' },
    ]);
  });
});

describe('checkReview: approving a report', () => {
  const submitted = { narrative: 'En deltagare, Anna, fick jobb.', comments: ['Anna fick jobb.', null] };
  const errors = (r: ReturnType<typeof checkReview>) => (r.ok ? [] : r.errors);
  const PNR_SV = 'Texten ser ut att innehålla ett personnummer. Ta bort det.';

  it('a reason goes only with a return; a blank one is no reason', () => {
    expect(errors(checkReview({ version: 1, decision: 'approve', reason: 'Bra.' }, submitted))).toEqual([
      { field: 'reason', problem: 'only with decision return', sv: 'En anledning anges bara när rapporten skickas tillbaka.' },
    ]);
    expect(checkReview({ version: 1, decision: 'approve', reason: '  ' }, submitted)).toEqual({ ok: true, value: { decision: 'approve', version: 1 } });
  });

  it('an empty text to publish: send the report back instead', () => {
    expect(errors(checkReview({ version: 1, decision: 'approve', narrative: ' \r\n ' }, submitted))).toEqual([
      { field: 'narrative', problem: 'must not be empty; to publish no text, send the report back', sv: 'Texten att publicera får inte vara tom. Skicka hellre tillbaka rapporten till samordnaren.' },
    ]);
  });

  it(`a text to publish of at most ${MAX_PUBLISHED_NARRATIVE} characters, without a personnummer`, () => {
    expect(checkReview({ version: 1, decision: 'approve', narrative: 'x'.repeat(MAX_PUBLISHED_NARRATIVE) }, submitted).ok).toBe(true);
    expect(errors(checkReview({ version: 1, decision: 'approve', narrative: 'x'.repeat(MAX_PUBLISHED_NARRATIVE + 1) }, submitted))).toEqual([
      { field: 'narrative', problem: 'must be at most 20000 characters', sv: 'Skriv högst 20000 tecken.' },
    ]);
    expect(errors(checkReview({ version: 1, decision: 'approve', narrative: 'En deltagare, 19121212-1212, fick jobb.' }, submitted))).toEqual([
      { field: 'narrative', problem: 'looks like it contains a personal identity number', sv: PNR_SV },
    ]);
  });

  it('approving as submitted does not check the submitted text again', () => {
    expect(checkReview({ version: 3, decision: 'approve' }, { narrative: '', comments: [] })).toEqual({ ok: true, value: { decision: 'approve', version: 3 } });
  });

  it('one comment per goal: the count is named', () => {
    expect(errors(checkReview({ version: 1, decision: 'approve', comments: ['x'] }, submitted))).toEqual([
      { field: 'comments', problem: 'must have one entry per goal (2); null keeps a comment as submitted', sv: 'Ange en kommentar per mål (2).' },
    ]);
  });

  it(`a comment of at most ${MAX_PUBLISHED_COMMENT} characters, without a personnummer, each named by its place`, () => {
    const ok = checkReview({ version: 1, decision: 'approve', comments: [null, 'x'.repeat(MAX_PUBLISHED_COMMENT)] }, submitted);
    expect(ok.ok).toBe(true);
    expect(errors(checkReview({ version: 1, decision: 'approve', comments: ['x'.repeat(MAX_PUBLISHED_COMMENT + 1), '19121212-1212'] }, submitted))).toEqual([
      { field: 'comments[0]', problem: 'must be at most 2000 characters', sv: 'Skriv högst 2000 tecken.' },
      { field: 'comments[1]', problem: 'looks like it contains a personal identity number', sv: PNR_SV },
    ]);
  });

  it('line breaks of any kind are kept as line breaks, and the text is trimmed', () => {
    expect(checkReview({ version: 1, decision: 'approve', narrative: 'Rad ett.\r\nRad två.\rRad tre.\n', comments: [' En fick jobb.\rBra.\r\nSlut. ', null] }, submitted)).toEqual({
      ok: true,
      value: { decision: 'approve', version: 1, publishedText: { narrative: 'Rad ett.\nRad två.\nRad tre.', comments: ['En fick jobb.\nBra.\nSlut.', null] } },
    });
  });

  it('only the narrative changed: the published text has the comments as submitted (null)', () => {
    expect(checkReview({ version: 1, decision: 'approve', narrative: 'En deltagare fick jobb.' }, submitted)).toEqual({
      ok: true,
      value: { decision: 'approve', version: 1, publishedText: { narrative: 'En deltagare fick jobb.', comments: [null, null] } },
    });
  });

  it('only one comment changed: the published text has the narrative as submitted', () => {
    expect(checkReview({ version: 1, decision: 'approve', comments: ['En fick jobb.', null] }, submitted)).toEqual({
      ok: true,
      value: { decision: 'approve', version: 1, publishedText: { narrative: 'En deltagare, Anna, fick jobb.', comments: ['En fick jobb.', null] } },
    });
  });

  it('a narrative equal to the submitted one but for white space at its ends changes nothing', () => {
    expect(checkReview({ version: 1, decision: 'approve', narrative: 'Bra kvartal.' }, { narrative: 'Bra kvartal.\n', comments: [] })).toEqual({ ok: true, value: { decision: 'approve', version: 1 } });
  });
});
