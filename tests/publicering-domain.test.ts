// The publication rule's details (domain/publicering.ts) beside tests/publicering.test.ts: the
// reviewer's redactions as stored and as published, which projects say they owe a report, the
// order of the public list, and the dates a published report shows.
import { describe, expect, it } from 'vitest';
import { publicReports, publishedOnOf, publishedVersionText, readPublishedText } from '../domain/publicering.js';
import { at, project, report, version } from './support/publicering.js';

const TODAY = '2026-11-15';

describe('readPublishedText: the redactions as stored', () => {
  it('none stored, or not of the shape: published as submitted', () => {
    for (const stored of [null, undefined, '', 'trasig', 7, ['En deltagare fick jobb.'], { comments: ['x'] }]) expect(readPublishedText(stored)).toBeUndefined();
  });

  it('a narrative without comments keeps every comment as submitted; a comment that is no text counts as not changed', () => {
    expect(readPublishedText({ narrative: 'Publicerad.' })).toEqual({ narrative: 'Publicerad.', comments: [] });
    expect(readPublishedText({ narrative: 'Publicerad.', comments: ['Ny.', 5, null, ''] })).toEqual({ narrative: 'Publicerad.', comments: ['Ny.', null, null, ''] });
  });
});

describe('publishedVersionText: the redactions applied', () => {
  const s = { narrative: 'Inlämnad.', figures: { goals: [{ goal: 'Till arbete.', value: 4, comment: 'Anna fick jobb.' }, { goal: 'Nätverk.', value: 12, comment: 'Tolv arbetsgivare.' }] } };

  it('a stored null is published as submitted', () => {
    expect(publishedVersionText({ ...s, publishedText: null })).toEqual(publishedVersionText(s));
    expect(publishedVersionText({ ...s, publishedText: null }).narrative).toBe('Inlämnad.');
  });

  it('goals beyond the redacted comments, and comments that are no text, keep the submitted comment', () => {
    const t = publishedVersionText({ ...s, publishedText: { narrative: 'Publicerad.', comments: [5] } });
    expect(t.narrative).toBe('Publicerad.');
    expect(t.figures.goals).toEqual([
      { goal: 'Till arbete.', value: 4, comment: 'Anna fick jobb.' },
      { goal: 'Nätverk.', value: 12, comment: 'Tolv arbetsgivare.' },
    ]);
    expect(publishedVersionText({ ...s, publishedText: { narrative: 'Publicerad.' } }).figures.goals.map((g) => g.comment)).toEqual(['Anna fick jobb.', 'Tolv arbetsgivare.']);
  });

  it('a redacted comment is trimmed; one of white space only removes the comment', () => {
    const t = publishedVersionText({ ...s, publishedText: { narrative: 'Publicerad.', comments: ['  En fick jobb. ', '   '] } });
    expect(t.figures.goals).toEqual([{ goal: 'Till arbete.', value: 4, comment: 'En fick jobb.' }, { goal: 'Nätverk.', value: 12 }]);
    expect('comment' in t.figures.goals[1]).toBe(false);
  });
});

describe('publishedOnOf: the day a report becomes public', () => {
  it('the day after its period, or the day it was approved when that is later', () => {
    expect(publishedOnOf('2026-09-30', { submittedAt: at('2026-09-20'), reviewedAt: at('2026-09-25') })).toBe('2026-10-01');
    expect(publishedOnOf('2026-09-30', { submittedAt: at('2026-09-20'), reviewedAt: at('2026-10-01') })).toBe('2026-10-01');
    expect(publishedOnOf('2026-09-30', { submittedAt: at('2026-09-20'), reviewedAt: at('2026-10-07') })).toBe('2026-10-07');
    // Approved without a review date (before reviews): the day it was submitted.
    expect(publishedOnOf('2026-09-30', { submittedAt: at('2026-10-05'), reviewedAt: null })).toBe('2026-10-05');
  });
});

describe('publicReports: what an ongoing project without a published report says', () => {
  it('owing a published kind besides the financial report, it has none submitted; owing only the financial report, it owes none', () => {
    const out = publicReports(
      [
        project({ key: 'blandad', obligations: [report('financial', '2026-01-01', '2026-03-31', version(1, '2026-04-10', 'Ekonomi.')), report('quarterly', '2026-07-01', '2026-09-30')] }),
        project({ key: 'egen', obligations: [report('financial', '2026-01-01', '2026-03-31', version(1, '2026-04-10', 'Ekonomi.'))] }),
      ],
      TODAY,
    );
    expect(out.map((p) => [p.key, p.noReport])).toEqual([
      ['blandad', 'none-submitted'],
      ['egen', 'none-owed'],
    ]);
  });
});

describe('publicReports: the order of the list', () => {
  it('ongoing projects by name whatever their end; ended ones of the same end by name; the same name by key', () => {
    const out = publicReports(
      [
        project({ key: 'o-b', name: 'Bro till arbete', end: '2027-12-31' }),
        project({ key: 'o-a', name: 'Arbetslivsintroduktion', end: '2027-01-31' }),
        project({ key: 'e-b', name: 'Bättre hälsa', start: '2025-01-01', end: '2026-06-30' }),
        project({ key: 'e-a', name: 'Aktiv vardag', start: '2025-01-01', end: '2026-06-30' }),
        project({ key: 'same-2', name: 'Steget', start: '2025-01-01', end: '2025-12-31' }),
        project({ key: 'same-1', name: 'Steget', start: '2025-01-01', end: '2025-12-31' }),
      ],
      TODAY,
    );
    expect(out.map((p) => p.key)).toEqual(['o-a', 'o-b', 'e-a', 'e-b', 'same-1', 'same-2']);
  });
});

describe('publicReports: the dates of a corrected report', () => {
  it('"inlämnad" is the day of the first version, however the versions are stored; "rättad" the day of the version shown', () => {
    const [p] = publicReports(
      [project({ key: 'r', obligations: [report('quarterly', '2026-07-01', '2026-09-30', version(2, '2026-10-20', 'Rättad.'), version(3, '2026-10-28', 'Rättad igen.'), version(1, '2026-10-06', 'Första.'))] })],
      TODAY,
    );
    expect([p.report?.version, p.report?.submitted, p.report?.corrected, p.report?.narrative]).toEqual([3, '2026-10-06', '2026-10-28', 'Rättad igen.']);
  });
});
