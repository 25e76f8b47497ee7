// Secret links: a coordinator's submission link for one report, and subscribable calendar
// feeds. Tokens are HMACs of what they open, so nothing secret is stored and a link cannot be
// turned into one for another report.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function token(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(purpose).digest('base64url');
}

export function tokenMatches(secret: string, purpose: string, candidate: string): boolean {
  const expected = Buffer.from(token(secret, purpose));
  const given = Buffer.from(candidate);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const submissionPurpose = (obligationId: string) => `submission:${obligationId}`;
export const feedPurpose = (forbundId: string, body: string) => `feed:${forbundId}:${body}`;

export function submissionLink(baseUrl: string, secret: string, obligationId: string): string {
  return `${baseUrl.replace(/\/$/, '')}/submit/${obligationId}?token=${token(secret, submissionPurpose(obligationId))}`;
}

export const declinePurpose = (meetingId: string, personId: string) => `decline:${meetingId}:${personId}`;

/** The "can't come" link of one person's invite to one board meeting. */
export function declineLink(baseUrl: string, secret: string, meetingId: string, personId: string): string {
  return `${baseUrl.replace(/\/$/, '')}/meetings/${meetingId}/forhinder/${personId}?token=${token(secret, declinePurpose(meetingId, personId))}`;
}

export const signPurpose = (meetingId: string, personId: string) => `sign:${meetingId}:${personId}`;

/** The personal link through which the ordförande or a justerare reads and signs one meeting's protokoll. */
export function signLink(baseUrl: string, secret: string, meetingId: string, personId: string): string {
  return `${baseUrl.replace(/\/$/, '')}/meetings/${meetingId}/justera/${personId}?token=${token(secret, signPurpose(meetingId, personId))}`;
}

export const projectFeedPurpose = (projectId: string) => `feed:project:${projectId}`;

/** The subscribable calendar of one project's report due dates (for its coordinator). */
export function projectFeedLink(baseUrl: string, secret: string, projectId: string): string {
  return `${baseUrl.replace(/\/$/, '')}/feeds/projects/${projectId}/reports.ics?token=${token(secret, projectFeedPurpose(projectId))}`;
}
