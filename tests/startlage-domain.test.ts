// "Läget vid start" (domain/startlage.ts): what was open at go-live is listed once and settled by
// the official; it is not overdue work. The rule, the pending step it leaves, the new-date rule
// and the list's grouping, without a database.
import { describe, expect, it } from 'vitest';
import { pendingStep } from '../domain/pending.js';
import { onStartList, startAwareStep, startGroups, startRedateProblem, startState } from '../domain/startlage.js';

const GO_LIVE = '2037-09-14';

describe('what is on the start list', () => {
  it('an open item due before the day Årscykel acts from, not yet settled', () => {
    expect(startState({ status: 'open', dueDate: '2037-07-15', plannedFrom: GO_LIVE })).toBe('start');
    expect(startState({ status: 'open', dueDate: '2037-09-13', plannedFrom: GO_LIVE, startSettledAt: null })).toBe('start');
    expect(onStartList({ status: 'open', dueDate: '2013-03-01', plannedFrom: GO_LIVE })).toBe(true);
  });

  it('not what falls due on or after that day: an ordinary pending step', () => {
    expect(startState({ status: 'open', dueDate: GO_LIVE, plannedFrom: GO_LIVE })).toBe('planned');
    expect(startState({ status: 'open', dueDate: '2037-10-15', plannedFrom: GO_LIVE })).toBe('planned');
    // No go-live known (a database from before go-live dates): everything is acted on, as before.
    expect(startState({ status: 'open', dueDate: '2013-03-01', plannedFrom: undefined })).toBe('planned');
    expect(startState({ status: 'open', dueDate: '2013-03-01', plannedFrom: null })).toBe('planned');
  });

  it('not what is closed: submitted, withdrawn, handled outside Årscykel, done', () => {
    for (const status of ['submitted', 'withdrawn', 'handled', 'done']) expect(startState({ status, dueDate: '2037-07-15', plannedFrom: GO_LIVE }), status).toBe('closed');
  });

  it('kept open by the official ("still wanted"): off the list, a pending step that waits', () => {
    expect(startState({ status: 'open', dueDate: '2037-07-15', plannedFrom: GO_LIVE, startSettledAt: new Date('2037-09-20T08:00:00Z') })).toBe('wanted');
    expect(onStartList({ status: 'open', dueDate: '2037-07-15', plannedFrom: GO_LIVE, startSettledAt: '2037-09-20T08:00:00Z' })).toBe(false);
    // Settled but due after the go-live (re-dated since): an ordinary step.
    expect(startState({ status: 'open', dueDate: '2037-10-30', plannedFrom: GO_LIVE, startSettledAt: new Date() })).toBe('planned');
  });

  it('a report added after go-live with periods already past plans from the day it was added', () => {
    // plannedFrom is the later of go-live and the day added (domain/rapportering.ts).
    expect(startState({ status: 'open', dueDate: '2037-10-15', plannedFrom: '2037-11-01' })).toBe('start');
  });
});

describe('the pending step the start list leaves', () => {
  const step = pendingStep({ type: 'report', id: 'r1', title: 'Kvartalsrapport', waitingOn: { role: 'coordinator', name: 'Åsa', email: 'a@x.example' }, dueDate: '2037-07-15', escalated: false, links: {} }, '2037-09-20');

  it('none for an item on the list or a closed one; one never overdue when still wanted; the step itself otherwise', () => {
    expect(step).toMatchObject({ overdue: true, daysOverdue: 67 });
    expect(startAwareStep(step, 'start')).toBeUndefined();
    expect(startAwareStep(step, 'closed')).toBeUndefined();
    expect(startAwareStep(step, 'wanted')).toEqual({ ...step, overdue: false, daysOverdue: 0 });
    expect(startAwareStep(step, 'planned')).toBe(step);
  });
});

describe('a new due date given from the start list', () => {
  const today = '2037-09-20';
  it('is a real date, today or later, and for a report not before its period ends', () => {
    expect(startRedateProblem({ type: 'milestone' }, '2037-09-20', today)).toBeUndefined();
    expect(startRedateProblem({ type: 'report', periodEnd: '2037-09-30' }, '2037-10-30', today)).toBeUndefined();
    expect(startRedateProblem({ type: 'milestone' }, '2037-09-19', today)).toMatchObject({ problem: 'must be today (2037-09-20) or later', sv: 'Den nya sista dagen kan inte ligga före i dag.' });
    expect(startRedateProblem({ type: 'report', periodEnd: '2037-12-31' }, '2037-10-30', today)).toMatchObject({ problem: 'must not be before the period ends (2037-12-31)', sv: 'Sista dag kan inte ligga före periodens slut, 31 december 2037.' });
    for (const bad of ['2037-02-30', '30/10/2037', '', 20371030, undefined]) expect(startRedateProblem({ type: 'milestone' }, bad, today)?.problem, String(bad)).toBe('must be a date YYYY-MM-DD');
  });

  it('tells the official in Swedish to give a date that exists', () => {
    expect(startRedateProblem({ type: 'milestone' }, '2037-02-30', today)).toEqual({ problem: 'must be a date YYYY-MM-DD', sv: 'Ange ett datum som finns, till exempel 2026-05-15.' });
  });

  it('a report may be given the last day of its period itself', () => {
    expect(startRedateProblem({ type: 'report', periodEnd: '2037-12-31' }, '2037-12-31', today)).toBeUndefined();
  });

  it('holds only reports to a period: a milestone may be due before a period end given with it', () => {
    expect(startRedateProblem({ type: 'milestone', periodEnd: '2037-12-31' }, '2037-10-30', today)).toBeUndefined();
  });
});

describe('the list as the official reads it', () => {
  it('one group per project (Swedish order) with its reports by due date, then the milestones', () => {
    const groups = startGroups([
      { type: 'milestone', id: 'm2', dueDate: '2037-05-29', title: 'Budgetdialog' },
      { type: 'report', id: 'r3', dueDate: '2037-07-15', title: 'Kvartalsrapport 2', project: { id: 'p2', name: 'Älvstigen' } },
      { type: 'report', id: 'r1', dueDate: '2037-07-15', title: 'Kvartalsrapport 2', project: { id: 'p1', name: 'Ankaret' } },
      { type: 'report', id: 'r2', dueDate: '2037-04-15', title: 'Kvartalsrapport 1', project: { id: 'p1', name: 'Ankaret' } },
      { type: 'milestone', id: 'm1', dueDate: '2037-02-12', title: 'Bokslut' },
      { type: 'report', id: 'r4', dueDate: '2037-04-15', title: 'Kvartalsrapport 1', project: { id: 'p3', name: 'Örnen' } },
    ]);
    expect(groups.map((g) => [g.id, g.heading, g.items.map((x) => x.id)])).toEqual([
      ['project:p1', 'Ankaret', ['r2', 'r1']],
      ['project:p2', 'Älvstigen', ['r3']],
      ['project:p3', 'Örnen', ['r4']],
      ['milestones', 'Moment i årscykeln', ['m1', 'm2']],
    ]);
    expect(startGroups([])).toEqual([]);
  });

  it('orders each group by due date, and items due the same day by title in Swedish order', () => {
    // Listed neither by date nor by title (the two items due the same day in either order); the
    // titles alone would give the reverse order.
    const report = (id: string, dueDate: string, title: string) => ({ type: 'report' as const, id, dueDate, title, project: { id: 'p1', name: 'Ankaret' } });
    const milestone = (id: string, dueDate: string, title: string) => ({ type: 'milestone' as const, id, dueDate, title });
    const groups = startGroups([
      report('jul-a', '2037-07-15', 'Ärende'),
      report('apr', '2037-04-15', 'Öppen rapport'),
      report('okt', '2037-10-15', 'Avslutande rapport'),
      report('jul-z', '2037-07-15', 'Zonplan'),
      milestone('maj-z', '2037-05-29', 'Zonbeslut'),
      milestone('feb', '2037-02-12', 'Översyn'),
      milestone('maj-a', '2037-05-29', 'Årsmöte'),
      milestone('nov', '2037-11-20', 'Avstämning'),
    ]);
    expect(groups.map((g) => g.items.map((x) => x.id))).toEqual([
      ['apr', 'jul-z', 'jul-a', 'okt'],
      ['feb', 'maj-z', 'maj-a', 'nov'],
    ]);
  });

  it('lists each item once: a milestone stays with the milestones even when it names a project', () => {
    const groups = startGroups([
      { type: 'report', id: 'r1', dueDate: '2037-04-15', title: 'Kvartalsrapport 1', project: { id: 'p1', name: 'Ankaret' } },
      { type: 'milestone', id: 'm1', dueDate: '2037-02-12', title: 'Bokslut', project: { id: 'p1', name: 'Ankaret' } },
    ]);
    expect(groups.map((g) => [g.id, g.items.map((x) => x.id)])).toEqual([
      ['project:p1', ['r1']],
      ['milestones', ['m1']],
    ]);
  });
});
