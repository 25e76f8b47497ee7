// The official's pending steps (domain/pending.ts) in the order the start page and the API list
// them: overdue first, the longest overdue first, then by due date, then by title in Swedish order.
import { describe, expect, it } from 'vitest';
import { pendingStep, sortPending, type PendingStep } from '../domain/pending.js';
import { startAwareStep } from '../domain/startlage.js';

const today = '2037-09-20';
const step = (id: string, dueDate: string, title = `Steg ${id}`): PendingStep =>
  pendingStep({ type: 'report', id, title, waitingOn: { role: 'coordinator', name: null, email: null }, dueDate, escalated: false, links: {} }, today);

describe('the order of the pending steps', () => {
  it('lists a step kept open from before the start ("still wanted") after the overdue ones, though due earlier', () => {
    const wanted = startAwareStep(step('wanted', '2037-06-15'), 'wanted')!;
    const steps = [step('soon', '2037-09-25'), wanted, step('late', '2037-09-10'), step('later-late', '2037-09-18')];
    expect(sortPending(steps).map((s) => s.id)).toEqual(['late', 'later-late', 'wanted', 'soon']);
  });

  it('lists steps due the same day by title in Swedish order', () => {
    // Swedish order: Z before Å before Ö.
    const steps = [step('a', '2037-09-25', 'Årsrapport'), step('o', '2037-09-25', 'Överlämning'), step('z', '2037-09-25', 'Zonplan')];
    expect(sortPending(steps).map((s) => s.title)).toEqual(['Zonplan', 'Årsrapport', 'Överlämning']);
    expect(sortPending([steps[1], steps[2], steps[0]]).map((s) => s.title)).toEqual(['Zonplan', 'Årsrapport', 'Överlämning']);
  });

  it('puts an earlier due date first, whatever the titles', () => {
    const steps = [step('b', '2037-09-30', 'Avstämning'), step('a', '2037-09-25', 'Överlämning'), step('c', '2037-10-05', 'Aaa')];
    expect(sortPending(steps).map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });
});
