// What every admin page shares: the signed-in session and its förbund, the page chrome, form
// helpers (POST-redirect-GET with a message after the action), and the Swedish refusal page.
import type { Request, Response, Router } from 'express';
import { toStockholmDate } from '../../domain/dates.js';
import { DocumentContentRefused, DocumentStoreUnavailable } from '../../services/document-store.js';
import type { Role } from '../../services/tokens.js';
import type { Session } from '../admin-session.js';
import { declare } from '../declare.js';
import type { ApiDeps } from '../deps.js';
import type { Chrome, Flash } from '../pages/admin.js';

export const ROLE_SV: Record<Role, string> = { admin: 'tjänsteperson', secretary: 'sekreterare', board_member: 'ledamot', economist: 'ekonom' };
/** A person's roles in a förbund file, in Swedish (the sign-in pages, the list of sessions). */
export const PERSON_ROLE_SV: Record<string, string> = { official: 'tjänsteperson', secretary: 'sekreterare', economist: 'ekonom', board_member: 'ledamot', coordinator: 'samordnare', auditor: 'revisor' };
export const WAITING_SV: Record<string, string> = { coordinator: 'samordnare', official: 'tjänsteperson', secretary: 'sekreterare', economist: 'ekonom', chair: 'ordförande', member: 'medlem' };

/** The messages after an action (POST-redirect-GET): `?klart=<code>`, `&vantar=1` when the workflow is told later. Each page module adds its own. */
const DONE: Record<string, string> = {};
export function doneMessages(m: Record<string, string>): void {
  Object.assign(DONE, m);
}
const LATER = ' Arbetsflödet får veta det så snart det går att nå; ändringen är sparad.';

/** A page's refusal: its status and the Swedish message. */
export class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly paragraphs: string[],
  ) {
    super(title);
  }
}

export type Form = Record<string, string>;
export const formOf = (req: Request): Form => {
  const b = req.body as unknown;
  const out: Form = {};
  if (b && typeof b === 'object') for (const [k, v] of Object.entries(b)) if (typeof v === 'string') out[k] = v;
  return out;
};

/** Where to go back after an action: a page of /admin only (never another site). */
export function backTo(form: Form, fallback: string): string {
  const t = form.tillbaka ?? '';
  return /^\/admin(\/[A-Za-z0-9\-/]*)?(\?sida=\d{1,4})?(#[A-Za-z0-9-]+)?$/.test(t) && !t.includes('//') ? t : fallback;
}

/**
 * `path#section` with `?klart=code` (and `&vantar=1` when the workflow is told later) and
 * `&vid=section` before the hash: the message is shown in that section of the page (a step, a
 * meeting's card, an agenda item), where the page opens.
 */
export function withDone(target: string, code: string, o: { later?: boolean } = {}): string {
  const [path, hash] = target.split('#');
  const q = new URLSearchParams({ klart: code, ...(o.later ? { vantar: '1' } : {}), ...(hash ? { vid: hash } : {}) });
  return `${path}${path.includes('?') ? '&' : '?'}${q}${hash ? `#${hash}` : ''}`;
}

/** The section an action's message belongs in (`vid`, see withDone). */
export const doneAt = (req: Request): string | undefined => (typeof req.query.vid === 'string' ? req.query.vid : undefined);

export function flashOf(req: Request): Flash | undefined {
  const code = typeof req.query.klart === 'string' ? req.query.klart : '';
  if (!DONE[code]) return undefined;
  return { text: DONE[code] + (req.query.vantar === '1' ? LATER : ''), warn: req.query.vantar === '1' };
}

export const html = (res: Response, status: number, body: string) => void res.status(status).type('html').send(body);

export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** 'kl. 9.00–12.00' kept on one line (the date before it may wrap). */
export const keepTime = (s: string) => s.replace(/kl\. (\d+\.\d+)(?:–(\d+\.\d+))?/, (_m, a: string, b?: string) => `kl.\u00a0${a}${b ? `\u2060–\u2060${b}` : ''}`);

/** ' av Olga Tjänsteman (tjänsteperson)' from an audit actor ('person:<id> <name> (<role>)' or 'token:…'), ' vid importen', or ''. */
export function byWhom(a: string | null | undefined): string {
  if (!a) return '';
  const t = /^(?:person|token):\S+ (.+) \((\w+)\)$/.exec(a);
  if (t) return ` av ${t[1]}${ROLE_SV[t[2] as Role] ? ` (${ROLE_SV[t[2] as Role]})` : ''}`;
  if (a === 'import' || a.startsWith('import:')) return ' (inläst från förbundsfilen)';
  return '';
}

/** The year of a page's path (`/admin/ar/2026`, `/admin/pengar/2026`): four digits, 2000–2100, else a 404 page naming an example. */
export function yearParam(req: Request, example: string): number {
  const v = String(req.params.year);
  const y = /^\d{4}$/.test(v) ? Number(v) : NaN;
  if (!(y >= 2000 && y <= 2100)) throw new PageError(404, 'Året finns inte', [`Ange ett år från 2000 till 2100 med fyra siffror, till exempel ${example}.`]);
  return y;
}

/** What a page module is given: the app's dependencies and the signed-in request's helpers. */
export function adminKit(deps: ApiDeps) {
  const { prisma } = deps;
  const today = () => toStockholmDate(deps.now());
  const thisYear = () => Number(today().slice(0, 4));
  const sessionOf = (res: Response) => res.locals.session as Session;
  const fid = (req: Request) => req.auth!.forbundId;
  const isAdmin = (req: Request) => req.auth!.role === 'admin';
  const onlyOfficial = (req: Request, what: string) => {
    if (!isAdmin(req)) throw new PageError(403, 'Bara tjänstepersonen kan göra det', [`Att ${what} är tjänstepersonens sak; inget har ändrats.`]);
  };
  async function chrome(req: Request, res: Response, current: Chrome['current']): Promise<Chrome> {
    const a = sessionOf(res).auth;
    const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: a.forbundId }, select: { name: true } });
    return { forbundName: forbund.name, name: a.name, roleSv: ROLE_SV[a.role], role: a.role, current, year: thisYear() };
  }
  // Declared once: served here and listed in the OpenAPI document (as text/html) under /admin.
  const page = declare('/admin').route;
  return { deps, prisma, page, today, thisYear, sessionOf, fid, isAdmin, onlyOfficial, chrome };
}
export type AdminKit = ReturnType<typeof adminKit>;
export type AdminModule = (k: AdminKit, r: Router) => void;

/** A handling's store failing, as a page: 503 when the bucket cannot be reached, 500 for bytes that are not those uploaded; any other error as it is. */
export function documentErrorAsPage(res: Response, err: unknown): unknown {
  if (err instanceof DocumentStoreUnavailable) {
    res.set('Retry-After', '60');
    return new PageError(503, 'Försök igen om en stund', ['Lagringen för handlingar kan inte nås just nu, så handlingen kan inte visas. Försök igen om en stund, eller kontakta administratören om det inte går över.']);
  }
  if (err instanceof DocumentContentRefused) return new PageError(500, 'Handlingen kan inte visas', [err.sv]);
  return err;
}
