// The official's and the secretary's web pages under /admin, served by the same express app:
// signing in (admin-session.ts), then one module per page: the start page (start.ts), a report
// (rapport.ts), the year (ar.ts), projects (projekt.ts), the board's meetings (styrelse.ts),
// money (pengar.ts) and the audit log (logg.ts).
//
// Every read uses the functions behind the API and every change the service functions behind
// its routes, so the workflows are told the same way. POST-redirect-GET; a form with errors is
// shown again with each problem next to its field and nothing changed. Only the admin (the
// official) and the secretary may use the pages, each as the API lets their role.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { Refusal } from '../../services/refusal.js';
import type { Role } from '../../services/tokens.js';
import { PAGE_ROLES, sessions, type Session } from '../admin-session.js';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../errors.js';
import { DEFAULT_GUARDS } from '../guards.js';
import { messagePage, signInLinkPage, signInPage } from '../pages/admin.js';
import { yearPages } from './ar.js';
import { adminKit, formOf, html, PageError, ROLE_SV } from './kit.js';
import { auditPages } from './logg.js';
import { moneyPages } from './pengar.js';
import { projectPages } from './projekt.js';
import { reportPages } from './rapport.js';
import { startPages } from './start.js';
import { boardPages } from './styrelse.js';

export function adminPages(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router();
  const k = adminKit(deps);
  const { page, chrome } = k;
  const s = sessions({ prisma, linkSecret: deps.linkSecret, publicBaseUrl: deps.publicBaseUrl, now: () => deps.now() });
  const guards = { ...DEFAULT_GUARDS, ...deps.guards };

  // Guessing tokens is slow: refused sign-ins (401/403) count, as for the API.
  r.use(
    rateLimit({
      windowMs: 10 * 60_000,
      limit: guards.authFailuresPer10Minutes,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401 && res.statusCode !== 403,
      skipSuccessfulRequests: true,
      handler: (_req, res) => html(res, 429, messagePage({ title: 'För många försök', paragraphs: ['För många misslyckade inloggningar från din adress. Vänta tio minuter och försök igen.'] })),
    }),
  );
  // Same-origin referrers, so the browser sends the Origin of its own forms (see admin-session.ts).
  r.use((_req, res, next) => {
    res.set('Referrer-Policy', 'same-origin');
    next();
  });
  // Forged forms: every POST must come from a page of this site.
  r.use((req, res, next) => {
    if (req.method !== 'POST' || s.sameOrigin(req)) return next();
    html(res, 403, messagePage({ title: 'Formuläret kunde inte tas emot', paragraphs: ['Formuläret skickades inte från Årscykels egna sidor, så inget har ändrats. Öppna sidan på nytt och försök igen.'], links: [{ href: '/admin', text: 'Till Att göra' }] }));
  });

  const refusedRole = (role: Role) =>
    messagePage({
      title: 'Sidorna är inte för din roll',
      paragraphs: [`Din nyckel gäller för rollen ${ROLE_SV[role]}, så du har inte loggats in. Sidorna här är för förbundets verkställande tjänsteperson och styrelsens sekreterare.`, 'Behöver du komma åt dem, be tjänstepersonen om en nyckel för rätt roll.'],
      links: [{ href: '/admin/logga-in', text: 'Logga in med en annan nyckel' }],
    });

  // --- signing in and out ---

  page(r, { method: 'get', path: '/logga-in', summary: 'the sign-in page; with ?token= (the sign-in link of npm run demo / npm run token) it names whom the token signs in and shows a button: a GET alone signs nobody in (Swedish HTML)', response: { contentType: 'text/html' } }, async (req, res) => {
    const t = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (t !== undefined) {
      const holder = await s.holder(t);
      if (!holder) return html(res, 401, signInPage({ error: 'Länken gäller inte: nyckeln i den är fel eller återkallad. Logga in med din nyckel.' }));
      if (!PAGE_ROLES.includes(holder.role)) return html(res, 403, refusedRole(holder.role));
      const forbund = await prisma.forbund.findUniqueOrThrow({ where: { id: holder.forbundId }, select: { name: true } });
      return html(res, 200, signInLinkPage({ name: holder.name, roleSv: ROLE_SV[holder.role], forbundName: forbund.name, token: t }));
    }
    if (await s.current(req)) return res.redirect(303, '/admin');
    html(res, 200, signInPage({ notice: req.query.utloggad === '1' ? 'Du är utloggad.' : undefined }));
  });

  page(r, { method: 'post', path: '/logga-in', summary: 'sign in with an admin\'s or a secretary\'s API token (form field token): an HttpOnly, SameSite=Strict session cookie that holds no token, and a redirect to /admin; a wrong token is 401, another role 403 (Swedish HTML)', response: { contentType: 'text/html' } }, async (req, res) => {
    const t = (formOf(req).token ?? '').trim();
    if (!t) return html(res, 400, signInPage({ error: 'Skriv in din nyckel.' }));
    const holder = await s.holder(t);
    if (!holder) return html(res, 401, signInPage({ error: 'Nyckeln stämmer inte eller har återkallats. Kontrollera att hela nyckeln kom med.' }));
    if (!PAGE_ROLES.includes(holder.role)) return html(res, 403, refusedRole(holder.role));
    await s.start(res, holder);
    res.redirect(303, '/admin');
  });

  page(r, { method: 'post', path: '/logga-ut', summary: 'sign out: the session ends for good and its cookie is cleared', response: { contentType: 'text/html' } }, async (req, res) => {
    await s.end(res, await s.current(req));
    res.redirect(303, '/admin/logga-in?utloggad=1');
  });

  // --- everything else: signed in, as the official or the secretary ---

  r.use(async (req, res, next) => {
    const cur = await s.current(req);
    if (!cur) {
      if (s.hasCookie(req)) s.clear(res);
      if (req.method === 'GET') return res.redirect(303, '/admin/logga-in');
      return html(res, 401, messagePage({ title: 'Du är inte inloggad', paragraphs: ['Du har loggats ut, så inget har ändrats. Logga in och försök igen.'], links: [{ href: '/admin/logga-in', text: 'Logga in' }] }));
    }
    if (!PAGE_ROLES.includes(cur.auth.role)) return html(res, 403, refusedRole(cur.auth.role));
    req.auth = cur.auth;
    res.locals.session = cur;
    next();
  });

  const { renderStart } = startPages(k, r);
  reportPages(k, r, renderStart);
  yearPages(k, r);
  projectPages(k, r);
  boardPages(k, r);
  moneyPages(k, r);
  auditPages(k, r);

  // --- not found, and errors as Swedish pages ---

  r.use((_req, _res, next) => next(new PageError(404, 'Sidan finns inte', ['Det finns ingen sida på den här adressen.'])));

  r.use(async (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const session = res.locals.session as Session | undefined;
    const c = session ? await chrome(req, res, 'other').catch(() => undefined) : undefined;
    const links = [{ href: '/admin', text: 'Till Att göra' }];
    if (err instanceof PageError) return html(res, err.status, messagePage({ chrome: c, title: err.title, paragraphs: err.paragraphs, links }));
    if (err instanceof Refusal) return html(res, err.status, messagePage({ chrome: c, title: err.status === 404 ? 'Finns inte' : 'Det gick inte', paragraphs: [err.sv, 'Inget har ändrats.'], links }));
    if (err instanceof HttpError) {
      const text =
        err.status === 503
          ? 'Arbetsflödet kunde inte nås just nu, så inget har ändrats. Försök igen om en stund.'
          : err.status === 409
            ? 'Det går inte längre: processen har redan passerat det steget. Inget har ändrats.'
            : err.status === 404
              ? 'Det du sökte finns inte.'
              : 'Uppgifterna kunde inte tas emot. Inget har ändrats.';
      return html(res, err.status, messagePage({ chrome: c, title: err.status === 503 ? 'Försök igen om en stund' : 'Det gick inte', paragraphs: [text], links }));
    }
    next(err);
  });

  return r;

  return r;
}
