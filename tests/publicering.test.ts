// The publication rule (Sydnärke 2016): the latest report of an ongoing project, only the final
// report of an ended one, nothing of a withdrawn or not yet started one; and the public page's
// HTML, which shows what the rule publishes and nothing else.
import { describe, expect, it } from 'vitest';
import { publicReports, publicStage, publishableVersion, publishedVersionText, type ReviewedSubmission } from '../domain/publicering.js';
import { readFigures } from '../domain/rapportuppgifter.js';
import { at, project, report, version } from './support/publicering.js';
import { publicReportsPage, notFoundPage } from '../api/pages/rapporter.js';

const TODAY = '2026-11-15';

describe('publicStage', () => {
  it('ongoing from the first through the last day; ended after it; withdrawn and not started are not listed', () => {
    const p = { status: 'active' as const, start: '2026-03-01', end: '2026-11-15' };
    expect(publicStage(p, '2026-02-28')).toBeUndefined();
    expect(publicStage(p, '2026-03-01')).toBe('ongoing');
    expect(publicStage(p, '2026-11-15')).toBe('ongoing');
    expect(publicStage(p, '2026-11-16')).toBe('ended');
    expect(publicStage({ ...p, status: 'withdrawn' }, '2026-06-01')).toBeUndefined();
    expect(publicStage({ ...p, status: 'withdrawn' }, '2027-06-01')).toBeUndefined();
  });
});

describe('publicReports', () => {
  it('an ongoing project: only the report of the latest period, in its latest version', () => {
    const [p] = publicReports(
      [
        project({
          key: 'pa-vag',
          obligations: [
            report('quarterly', '2026-01-01', '2026-03-31', version(1, '2026-04-10', 'Första kvartalet.')),
            report('quarterly', '2026-07-01', '2026-09-30', version(1, '2026-10-12', 'Tredje kvartalet, första texten.'), version(2, '2026-10-20', 'Tredje kvartalet, rättad.', { participantsActive: 14, participantsNew: 3 })),
            report('quarterly', '2026-04-01', '2026-06-30', version(1, '2026-07-14', 'Andra kvartalet.')),
            report('quarterly', '2026-10-01', '2026-12-31'),
          ],
        }),
      ],
      TODAY,
    );
    expect(p.stage).toBe('ongoing');
    expect(p.report).toEqual({
      kind: 'quarterly',
      kindName: 'kvartalsrapport',
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      submitted: '2026-10-12',
      corrected: '2026-10-20',
      version: 2,
      published: '2026-10-20',
      figures: [
        { field: 'participantsActive', label: 'deltagare aktiva under perioden', value: 14 },
        { field: 'participantsNew', label: 'nya deltagare under perioden', value: 3 },
      ],
      shown: {
        participants: [
          { row: 'active', label: 'deltagare aktiva under perioden', total: 14 },
          { row: 'new', label: 'nya deltagare under perioden', total: 3 },
        ],
        goals: [],
      },
      narrative: 'Tredje kvartalet, rättad.',
    });
    expect(JSON.stringify(p)).not.toMatch(/första texten|Andra kvartalet|Första kvartalet/);
  });

  it('of two reports ending the same day, the one of the longer period; the financial report is never published', () => {
    const [p] = publicReports(
      [
        project({
          key: 'x',
          obligations: [
            report('quarterly', '2026-04-01', '2026-06-30', version(1, '2026-07-10', 'Kvartal 2.')),
            report('halfYear', '2026-01-01', '2026-06-30', version(1, '2026-07-18', 'Halvåret.')),
            report('financial', '2026-01-01', '2026-09-30', version(1, '2026-10-14', 'Ekonomi.')),
          ],
        }),
      ],
      TODAY,
    );
    expect([p.report?.kind, p.report?.narrative, p.report?.corrected]).toEqual(['halfYear', 'Halvåret.', undefined]);
  });

  it('an ended project: only its final report, even when later periodic reports exist', () => {
    const [p] = publicReports(
      [
        project({
          key: 'slut',
          start: '2025-01-01',
          end: '2026-06-30',
          obligations: [
            report('quarterly', '2026-01-01', '2026-03-31', version(1, '2026-04-10', 'Kvartal 1.')),
            report('final', '2025-01-01', '2026-06-30', version(1, '2026-08-20', 'Slutrapporten.', { participantsEnded: 40, participantsToWork: 12, costsToDate: 1210000 })),
            report('annual', '2025-01-01', '2025-12-31', version(1, '2026-01-30', 'Helåret 2025.')),
          ],
        }),
      ],
      TODAY,
    );
    expect(p.stage).toBe('ended');
    expect(p.report?.kind).toBe('final');
    expect(p.report?.narrative).toBe('Slutrapporten.');
    expect(p.report?.figures.map((f) => [f.field, f.value])).toEqual([
      ['participantsEnded', 40],
      ['participantsToWork', 12],
      ['costsToDate', 1210000],
    ]);
  });

  it('an ended project without its final report shows nothing of its other reports, and says why', () => {
    const out = publicReports(
      [
        project({ key: 'utan', end: '2026-06-30', obligations: [report('quarterly', '2026-01-01', '2026-03-31', version(1, '2026-04-10', 'Kvartal 1.')), report('final', '2026-01-01', '2026-06-30')] }),
        project({ key: 'ingen-slut', end: '2026-06-30', obligations: [report('quarterly', '2026-01-01', '2026-03-31', version(1, '2026-04-10', 'Kvartal 1.'))] }),
        project({ key: 'ny', obligations: [report('quarterly', '2026-07-01', '2026-09-30')] }),
        project({ key: 'egen', name: 'Egen verksamhet', obligations: [report('financial', '2026-01-01', '2026-03-31', version(1, '2026-04-10', 'Ekonomi.'))] }),
      ],
      TODAY,
    );
    expect(out.map((p) => [p.key, p.stage, p.report, p.noReport])).toEqual([
      ['egen', 'ongoing', undefined, 'none-owed'],
      ['ny', 'ongoing', undefined, 'none-submitted'],
      ['ingen-slut', 'ended', undefined, 'no-final-owed'],
      ['utan', 'ended', undefined, 'final-not-submitted'],
    ]);
  });

  it('leaves out withdrawn and not yet started projects; lists ongoing by name, then ended by latest end', () => {
    const sub = [report('quarterly', '2026-01-01', '2026-03-31', version(1, '2026-04-10', 'Text.'))];
    const out = publicReports(
      [
        project({ key: 'withdrawn', status: 'withdrawn', obligations: sub }),
        project({ key: 'future', start: '2027-01-01' }),
        project({ key: 'b', name: 'Öppen verkstad' }),
        project({ key: 'a', name: 'Arbetslivsintroduktion' }),
        project({ key: 'old', name: 'Aa', start: '2024-01-01', end: '2024-12-31' }),
        project({ key: 'recent', name: 'Zz', start: '2025-01-01', end: '2026-05-31' }),
      ],
      TODAY,
    );
    expect(out.map((p) => p.key)).toEqual(['a', 'b', 'recent', 'old']);
  });

  it('publishes only the known aggregate figures, and never who submitted the report', () => {
    const [p] = publicReports(
      [project({ key: 'f', obligations: [report('quarterly', '2026-07-01', '2026-09-30', { ...version(1, '2026-10-01', 'T.', { participantsActive: 5, secret: 7, participantsNew: -1, participantsEnded: 1.5 }), submittedBy: 'Klara Samordnare', late: true } as never)] })],
      TODAY,
    );
    expect(p.report?.figures).toEqual([{ field: 'participantsActive', label: 'deltagare aktiva under perioden', value: 5 }]);
    expect(JSON.stringify(p)).not.toMatch(/Klara|late|secret/);
  });

  it('a submission just after midnight in Stockholm is dated by the Swedish day', () => {
    const [p] = publicReports([project({ key: 'd', obligations: [report('quarterly', '2026-07-01', '2026-09-30', { version: 1, submittedAt: new Date('2026-09-30T22:30:00Z'), figures: {}, narrative: 'T.', reviewStatus: 'approved' })] })], TODAY);
    expect(p.report?.submitted).toBe('2026-10-01');
  });
});

describe('reviewed before it is public (issue 21)', () => {
  const v = (n: number, day: string, narrative: string, review: Partial<ReviewedSubmission> = {}): ReviewedSubmission => ({ version: n, submittedAt: at(day), figures: { participantsActive: 10 + n }, narrative, reviewStatus: 'pending', ...review });
  const ok = (day: string, publishedText?: unknown) => ({ reviewStatus: 'approved' as const, reviewedAt: at(day), ...(publishedText ? { publishedText } : {}) });

  it('a version waiting for review, or sent back, is not public; the project says none is submitted', () => {
    const out = publicReports(
      [
        project({ key: 'vantar', obligations: [report('quarterly', '2026-07-01', '2026-09-30', v(1, '2026-10-06', 'En deltagare, Anna från Kumla, fick jobb.'))] }),
        project({ key: 'tillbaka', obligations: [report('quarterly', '2026-07-01', '2026-09-30', v(1, '2026-10-06', 'Tre har gått till arbete, en till studier.', { reviewStatus: 'returned', reviewedAt: at('2026-10-08') }))] }),
      ],
      TODAY,
    );
    expect(out.map((p) => [p.key, p.report, p.noReport])).toEqual([
      ['tillbaka', undefined, 'none-submitted'],
      ['vantar', undefined, 'none-submitted'],
    ]);
    expect(JSON.stringify(out)).not.toMatch(/Anna|Kumla|studier/);
  });

  it('a newer version waiting for review leaves the earlier approved one public', () => {
    const [p] = publicReports([project({ key: 'x', obligations: [report('quarterly', '2026-07-01', '2026-09-30', v(1, '2026-10-06', 'Godkänd text.', ok('2026-10-07')), v(2, '2026-10-20', 'Rättelse som väntar.'))] })], TODAY);
    expect([p.report?.version, p.report?.narrative, p.report?.corrected, p.report?.published]).toEqual([1, 'Godkänd text.', undefined, '2026-10-07']);
    // Once the correction is approved, it is the one shown.
    const [q] = publicReports([project({ key: 'x', obligations: [report('quarterly', '2026-07-01', '2026-09-30', v(1, '2026-10-06', 'Godkänd text.', ok('2026-10-07')), v(2, '2026-10-20', 'Rättelsen.', ok('2026-10-21')))] })], TODAY);
    expect([q.report?.version, q.report?.narrative, q.report?.corrected, q.report?.published]).toEqual([2, 'Rättelsen.', '2026-10-20', '2026-10-21']);
  });

  it('the reviewer\'s redactions are what is published: the narrative and each goal comment (null: as submitted)', () => {
    const figures = { goals: [{ goal: 'Till arbete.', women: 3, men: 4, comment: 'Anna och Omar fick jobb.' }, { goal: 'Nätverk.', value: 12, comment: 'Tolv arbetsgivare.' }] };
    const [p] = publicReports(
      [project({ key: 'r', obligations: [report('quarterly', '2026-07-01', '2026-09-30', { ...v(1, '2026-10-06', 'En deltagare, Anna från Kumla, fick jobb.', ok('2026-10-09', { narrative: 'En deltagare fick jobb.', comments: ['Två fick jobb.', null] })), figures })] })],
      TODAY,
    );
    expect(p.report?.narrative).toBe('En deltagare fick jobb.');
    expect(p.report?.shown.goals.map((g) => g.comment)).toEqual(['Två fick jobb.', 'Tolv arbetsgivare.']);
    expect(JSON.stringify(p)).not.toMatch(/Anna|Kumla|Omar/);
    // An empty redacted comment removes the comment.
    const [q] = publicReports([project({ key: 'r', obligations: [report('quarterly', '2026-07-01', '2026-09-30', { ...v(1, '2026-10-06', 'T.', ok('2026-10-09', { narrative: 'T.', comments: ['', null] })), figures })] })], TODAY);
    expect(q.report?.shown.goals.map((g) => g.comment)).toEqual([undefined, 'Tolv arbetsgivare.']);
  });

  it('not before its period has ended, even when approved: submitted 6 December for the quarter ending 31 December', () => {
    const q4 = report('quarterly', '2026-10-01', '2026-12-31', v(1, '2026-12-06', 'Fjärde kvartalet.', ok('2026-12-07')));
    const q3 = report('quarterly', '2026-07-01', '2026-09-30', v(1, '2026-10-06', 'Tredje kvartalet.', ok('2026-10-07')));
    for (const today of ['2026-12-07', '2026-12-31']) {
      const [p] = publicReports([project({ key: 'x', obligations: [q3, q4] })], today);
      // The latest report is chosen among those with a publishable version: Q3 stays.
      expect([today, p.report?.periodEnd, p.report?.narrative]).toEqual([today, '2026-09-30', 'Tredje kvartalet.']);
    }
    const [p] = publicReports([project({ key: 'x', obligations: [q3, q4] })], '2027-01-01');
    expect([p.report?.periodEnd, p.report?.published]).toEqual(['2026-12-31', '2027-01-01']);
    expect(publishableVersion({ periodEnd: '2026-12-31', submissions: q4.submissions }, '2026-12-31')).toBeUndefined();
    expect(publishableVersion({ periodEnd: '2026-12-31', submissions: q4.submissions }, '2027-01-01')?.publishedOn).toBe('2027-01-01');
  });

  it('an ended project whose final report waits for review shows no report', () => {
    const [p] = publicReports([project({ key: 'slut', end: '2026-06-30', obligations: [report('final', '2026-01-01', '2026-06-30', v(1, '2026-08-20', 'Slut.'))] })], TODAY);
    expect([p.stage, p.report, p.noReport]).toEqual(['ended', undefined, 'final-not-submitted']);
  });

  it('publishedVersionText applies the redactions to a version; without them the text is as submitted', () => {
    const s = { narrative: 'Inlämnad.', figures: { goals: [{ goal: 'Mål.', value: 1, comment: 'Kommentar.' }] } };
    expect(publishedVersionText(s)).toEqual({ narrative: 'Inlämnad.', figures: readFigures(s.figures) });
    expect(publishedVersionText({ ...s, publishedText: { narrative: 'Publicerad.', comments: ['Ny.'] } }).figures.goals[0].comment).toBe('Ny.');
    expect(publishedVersionText({ ...s, publishedText: 'trasig' }).narrative).toBe('Inlämnad.');
  });
});

describe('the public page', () => {
  const projects = publicReports(
    [
      project({ key: 'pa-vag', name: 'På väg <i>', obligations: [report('quarterly', '2026-07-01', '2026-09-30', version(1, '2026-10-12', 'Rad ett\nrad två\n\nNytt stycke & <script>alert(1)</script>', { participantsActive: 1234, costsToDate: 1210000 }))] }),
      project({ key: 'klar', name: 'Klar', end: '2026-06-30', obligations: [report('final', '2026-01-01', '2026-06-30')] }),
    ],
    TODAY,
  );
  const html = publicReportsPage({ forbund: { slug: 'sydnarke', name: 'Samordningsförbundet Sydnärke' }, today: TODAY, projects });

  it('is Swedish, semantic and escapes every text', () => {
    expect(html).toMatch(/^<!doctype html><html lang="sv">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<main id="innehall"');
    expect(html).toContain('<h1>');
    expect(html).toContain('<h3 id="insats-pa-vag">På väg &lt;i&gt;</h3>');
    expect(html).toContain('<th scope="row">Deltagare aktiva under perioden</th><td>1\u00a0234</td>');
    expect(html).toContain('<dt>Upparbetade kostnader</dt><dd>1\u00a0210\u00a0000\u00a0kr</dd>');
    expect(html).toContain('<p>Rad ett<br>rad två</p><p>Nytt stycke &amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html).toContain('Slutrapport inte inlämnad');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('shows participants by women and men and the goals; a count of 1 or 2 as "färre än 3", the other gender of its row hidden', () => {
    const figures = {
      participants: { active: { women: 14, men: 11 }, toWork: { women: 2, men: 5 }, toStudies: { women: 0, men: 1 } },
      costsToDate: 50000,
      goals: [{ goal: '10 till arbete <b>alternativt</b> studier.', women: 1, men: 1, comment: 'Två hittills.' }, { goal: 'Nätverk med arbetsgivare.', value: 12 }],
    };
    const [p] = publicReports([project({ key: 'kon', obligations: [report('quarterly', '2026-07-01', '2026-09-30', version(1, '2026-10-12', 'T.', figures))] })], TODAY);
    expect(p.report?.shown).toEqual({
      participants: [
        { row: 'active', label: 'deltagare aktiva under perioden', women: 14, men: 11, total: 25 },
        { row: 'toWork', label: 'avslutade till arbete', women: 'few', men: 'hidden', total: 7 },
        { row: 'toStudies', label: 'avslutade till studier', women: 0, men: 'few', total: 'few' },
      ],
      costsToDate: 50000,
      goals: [
        { goal: '10 till arbete <b>alternativt</b> studier.', women: 'few', men: 'few', total: 'few', comment: 'Två hittills.' },
        { goal: 'Nätverk med arbetsgivare.', value: 12 },
      ],
    });
    // The flat totals keep the older API's shape; a total of 1 or 2 is left out.
    expect(p.report?.figures.map((f) => [f.field, f.value])).toEqual([['participantsActive', 25], ['participantsToWork', 7], ['costsToDate', 50000]]);
    const page = publicReportsPage({ forbund: { slug: 's', name: 'S' }, today: TODAY, projects: [p] });
    expect(page).toContain('<th scope="row">Avslutade till arbete</th><td>färre än 3</td><td><span aria-label="visas inte">–</span></td><td>7</td>');
    expect(page).toContain('<th scope="row">Avslutade till studier</th><td>0</td><td>färre än 3</td><td>färre än 3</td>');
    expect(page).toContain('<p class="goal-text">10 till arbete &lt;b&gt;alternativt&lt;/b&gt; studier.</p>');
    expect(page).toContain('<dd>kvinnor färre än 3, män färre än 3, totalt färre än 3</dd>');
    expect(page).toContain('<dt>Utfall i antal</dt><dd>12</dd>');
    expect(page).toContain('så att ingen enskild deltagare kan pekas ut');
    expect(page).not.toMatch(/>2<|>1<|>5</);
  });

  it('the 404 page is Swedish', () => {
    expect(notFoundPage()).toContain('<html lang="sv">');
    expect(notFoundPage()).toContain('Sidan finns inte');
  });
});
