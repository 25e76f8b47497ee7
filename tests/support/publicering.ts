// The project reports the publication tests build: a project, its reports and their versions.
import type { ProjectReports, ReviewedSubmission } from '../../domain/publicering.js';

export type Obligation = ProjectReports['obligations'][number];

export const at = (iso: string) => new Date(`${iso}T10:00:00Z`);

/** A version approved on the day it came in (the review rule has tests of its own). */
export const version = (v: number, day: string, narrative: string, figures: unknown = { participantsActive: v }): ReviewedSubmission => ({
  version: v,
  submittedAt: at(day),
  figures,
  narrative,
  reviewStatus: 'approved',
  reviewedAt: at(day),
});

export const report = (kind: Obligation['kind'], periodStart: string, periodEnd: string, ...submissions: ReviewedSubmission[]): Obligation => ({ kind, periodStart, periodEnd, submissions });

/** An active project of Försäkringskassan's, 2026–2027, owing nothing unless given. */
export const project = (over: Partial<ProjectReports> & Pick<ProjectReports, 'key'>): ProjectReports => ({
  name: over.key,
  huvudman: 'Försäkringskassan',
  status: 'active',
  start: '2026-01-01',
  end: '2027-12-31',
  obligations: [],
  ...over,
});
