// A funding application decided by the board: does the decision grant the money? Pure functions,
// used when the protokoll is justerat (services/beviljning.ts sets the project's grant).
//
// The rule: a decision grants the application unless its text says otherwise. It says otherwise
// when it
// - refuses: a form of "avslå" as a word of its own, without regard to case: avslå, avslår,
//   avslås, avslog, avslogs, avslagit, avslagits, and the noun avslag (avslaget, avslagen, avslagna)
//   — "Ansökan avslås", "Styrelsen beslutar att avslå ansökan", "Avslag";
// - puts the matter off instead of deciding it: bordlägga (bordläggs, bordlades, …) or
//   återremittera (återremitteras, …) — no money is decided by a postponed matter;
// - negates the grant: "inte bevilja", "ej bevilja", "beviljas inte", "beviljas ej" (and the same
//   with bifalla/bifalls);
// - is empty.
// A refusal is the safe side of a mistake: no grant is set, and the official can still set the
// project's grant by hand; a grant set on a refusal would be money the board did not give.
// "Styrelsen beslutar att bevilja 400 000 kr" grants.

export type GrantOutcome = 'granted' | 'refused' | 'postponed';

/** A word of its own: not inside a longer word (Swedish letters counting as letters). */
const word = (alternatives: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'iu');

/** avslå and its forms, and the noun avslag with its forms. */
export const REFUSAL = word('avslå|avslår|avslås|avslog|avslogs|avslagit|avslagits|avslag|avslaget|avslagen|avslagna');
/** bordlägga (table) and återremittera (send back): the matter is not decided. */
export const POSTPONEMENT = word('bordlägg\\p{L}*|bordlad\\p{L}*|bordlagd\\p{L}*|återremitt\\p{L}*');
/** "inte bevilja", "ej bevilja", "beviljas inte", "bifalls ej", … */
export const NEGATED_GRANT = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:(?:inte|ej|icke)\\s+(?:att\\s+)?(?:bevilja|bifalla)\\p{L}*|(?:bevilja|bifall)\\p{L}*\\s+(?:inte|ej|icke))(?![\\p{L}\\p{N}])`,
  'iu',
);

/** What the decision's text decides about the application (the rule above). */
export function grantOutcome(decision: string): GrantOutcome {
  const text = decision.normalize('NFC');
  if (!text.trim()) return 'refused';
  if (REFUSAL.test(text) || NEGATED_GRANT.test(text)) return 'refused';
  if (POSTPONEMENT.test(text)) return 'postponed';
  return 'granted';
}

/** Whether the decision grants the application: it does unless its text refuses, postpones or negates it (grantOutcome). */
export function decisionGrants(decision: string): boolean {
  return grantOutcome(decision) === 'granted';
}

/** A funding application's grant as the matter carries it (Matter.funding). */
export interface Funding {
  projectKey: string;
  year: number;
  /** Whole kronor. */
  amount: number;
  /** The budget line it draws on: a cost line of group project or administration of that year. */
  budgetLineKey?: string;
}

/** The stored funding of a matter, or null when it is not one (or not well formed). */
export function fundingOf(raw: unknown): Funding | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const f = raw as Record<string, unknown>;
  if (typeof f.projectKey !== 'string' || !Number.isInteger(f.year) || !Number.isInteger(f.amount)) return null;
  return { projectKey: f.projectKey, year: f.year as number, amount: f.amount as number, ...(typeof f.budgetLineKey === 'string' ? { budgetLineKey: f.budgetLineKey } : {}) };
}

/** The most a grant may be, in kronor (as a project's grants are checked). */
export const MAX_FUNDING_KR = 1_000_000_000;

/** The budget line groups a funding application may draw on (cost lines only). */
export const FUNDING_LINE_GROUPS: readonly string[] = ['project', 'administration'];
