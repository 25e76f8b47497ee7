// The grant rule of a funding application's decision (domain/beviljning.ts) and the reports of a
// project with a conditional start (domain/rapportering.ts obligationsWithCondition). Pure.
import { describe, expect, it } from 'vitest';
import { decisionGrants, fundingOf, grantOutcome } from '../domain/beviljning.js';
import { DEFAULT_POLICY, obligationsForProject, obligationsWithCondition } from '../domain/rapportering.js';

describe('the grant rule: a decision grants unless its text refuses', () => {
  it('grants on a decision that grants', () => {
    expect(decisionGrants('Styrelsen beslutar att bevilja 400 000 kr')).toBe(true);
    expect(decisionGrants('Styrelsen beviljar 450 000 kronor för 2027.')).toBe(true);
    expect(decisionGrants('Ansökan bifalls.')).toBe(true);
  });

  it('refuses on every form of avslå and on avslag, as a word, in any case', () => {
    for (const text of ['Ansökan avslås', 'Styrelsen beslutar att avslå ansökan', 'Styrelsen avslår ansökan.', 'Avslag.', 'Styrelsen beslutar om AVSLAG på ansökan', 'ANSÖKAN AVSLÅS', 'Ansökan avslogs av styrelsen', 'Ansökan är avslagen']) {
      expect(grantOutcome(text), text).toBe('refused');
      expect(decisionGrants(text), text).toBe(false);
    }
  });

  it('a form of avslå inside a longer word is not a refusal', () => {
    expect(grantOutcome('Styrelsen beviljar ansökan; avslagsyrkandet föll.')).toBe('granted');
  });

  it('a negated grant, a postponed matter and an empty decision set no grant', () => {
    expect(grantOutcome('Styrelsen beslutar att inte bevilja ansökan')).toBe('refused');
    expect(grantOutcome('Ansökan beviljas ej.')).toBe('refused');
    expect(grantOutcome('Ärendet bordläggs till nästa sammanträde.')).toBe('postponed');
    expect(grantOutcome('Ärendet återremitteras till beredningsgruppen.')).toBe('postponed');
    expect(grantOutcome('  ')).toBe('refused');
    for (const t of ['Ärendet bordläggs.', 'Ansökan beviljas ej.', '']) expect(decisionGrants(t)).toBe(false);
  });

  it('reads a matter’s stored funding, or null', () => {
    expect(fundingOf({ projectKey: 'steg-framat', year: 2027, amount: 400000, budgetLineKey: 'insatser' })).toEqual({ projectKey: 'steg-framat', year: 2027, amount: 400000, budgetLineKey: 'insatser' });
    expect(fundingOf({ projectKey: 'steg-framat', year: 2027, amount: 400000 })).toEqual({ projectKey: 'steg-framat', year: 2027, amount: 400000 });
    expect(fundingOf(null)).toBeNull();
    expect(fundingOf({ projectKey: 'x', year: '2027', amount: 1 })).toBeNull();
  });
});

describe('a conditional start', () => {
  const project = { start: '2027-01-01', end: '2027-12-31', reportKinds: ['quarterly', 'halfYear', 'final'] as const };
  const p = { ...project, reportKinds: [...project.reportKinds] };

  it('plans nothing while the condition is not met', () => {
    expect(obligationsWithCondition(DEFAULT_POLICY, { ...p, startCondition: 'Försäkringskassan beviljar projektmedel', conditionMetOn: null })).toEqual([]);
  });

  it('without a condition plans as before', () => {
    expect(obligationsWithCondition(DEFAULT_POLICY, { ...p, startCondition: null })).toEqual(obligationsForProject(DEFAULT_POLICY, p));
  });

  it('once met plans from that day: periods ending before it are not owed, the one it falls in is owed from it', () => {
    const planned = obligationsWithCondition(DEFAULT_POLICY, { ...p, startCondition: 'Försäkringskassan beviljar projektmedel', conditionMetOn: '2027-05-10' });
    expect(planned.every((o) => o.periodStart >= '2027-05-10')).toBe(true);
    expect(planned.map((o) => `${o.kind} ${o.periodStart}–${o.periodEnd}`)).toEqual([
      'quarterly 2027-05-10–2027-06-30',
      'halfYear 2027-05-10–2027-06-30',
      'quarterly 2027-07-01–2027-09-30',
      'final 2027-05-10–2027-12-31',
    ]);
  });

  it('met before the start plans the whole project; met after its end plans nothing', () => {
    expect(obligationsWithCondition(DEFAULT_POLICY, { ...p, startCondition: 'Beslut', conditionMetOn: '2026-12-10' })).toEqual(obligationsForProject(DEFAULT_POLICY, p));
    expect(obligationsWithCondition(DEFAULT_POLICY, { ...p, startCondition: 'Beslut', conditionMetOn: '2028-01-10' })).toEqual([]);
  });
});
