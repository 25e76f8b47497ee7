// What the public reads of a förbund's projects today: the database side of the publication rule
// (domain/publicering.ts). Only the columns the public may see are read.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { IsoDate } from '../domain/dates.js';
import { PUBLISHED_KINDS, publicReports, type PublicProject } from '../domain/publicering.js';
import { isoDay } from './rapportering.js';

/** The projects the public pages list today, each with the report the rule publishes. */
export async function publicProjects(prisma: PrismaClient, forbundId: string, today: IsoDate): Promise<PublicProject[]> {
  const projects = await prisma.project.findMany({
    where: { forbundId, status: 'active', startDate: { lte: new Date(`${today}T00:00:00Z`) } },
    select: {
      key: true,
      name: true,
      huvudman: true,
      status: true,
      startDate: true,
      endDate: true,
      obligations: {
        where: { kind: { in: [...PUBLISHED_KINDS] } },
        // Only approved versions can be public (domain publishableVersion); the first version is read too, for the date it came in.
        select: { kind: true, periodStart: true, periodEnd: true, submissions: { where: { OR: [{ reviewStatus: 'approved' }, { version: 1 }] }, select: { version: true, submittedAt: true, figures: true, narrative: true, reviewStatus: true, reviewedAt: true, publishedText: true } } },
      },
    },
  });
  return publicReports(
    projects.map((p) => ({
      key: p.key,
      name: p.name,
      huvudman: p.huvudman,
      status: p.status,
      start: isoDay(p.startDate),
      end: isoDay(p.endDate),
      obligations: p.obligations.map((o) => ({ kind: o.kind, periodStart: isoDay(o.periodStart), periodEnd: isoDay(o.periodEnd), submissions: o.submissions })),
    })),
    today,
  );
}
