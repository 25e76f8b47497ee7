// The official's and the secretary's web pages under /admin, served by the same express app:
// signing in as a person by an e-mail link (inloggning.ts, admin-session.ts), then one module per
// page: the start page (start.ts), a report (rapport.ts), the year (ar.ts), projects (projekt.ts),
// the board's meetings (styrelse.ts), money (pengar.ts), the audit log (logg.ts) and the open
// sessions (inloggning.ts).
//
// Every read uses the functions behind the API and every change the service functions behind
// its routes, so the workflows are told the same way. POST-redirect-GET; a form with errors is
// shown again with each problem next to its field and nothing changed. The admin (the official)
// and the secretary use these pages, each as the API lets their role; ledamöter and ersättare,
// revisorer and samordnare have their own, read-mostly pages (mina.ts).
import { Router, type NextFunction, type Request, type Response } from 'express';
import { Refusal } from '../../services/refusal.js';
import { sessions, type Session } from '../admin-session.js';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../errors.js';
import { DEFAULT_GUARDS, failureLimiter, windowCounter } from '../guards.js';
import { messagePage } from '../pages/admin.js';
import { yearPages } from './ar.js';
import { pageRolesOnly, sessionPages, signedInOnly, signInRoutes } from './inloggning.js';
import { adminKit, html, PageError } from './kit.js';
import { auditPages } from './logg.js';
import { ownPages } from './mina.js';
import { moneyPages } from './pengar.js';
import { projectPages } from './projekt.js';
import { reportPages } from './rapport.js';
import { startPages } from './start.js';
import { boardPages } from './styrelse.js';
import { delegationPages } from './delegation.js';

export function adminPages(deps: ApiDeps): Router {
  const { prisma } = deps;
  const r = Router();
  const k = adminKit(deps);
  const { chrome } = k;
  const s = sessions({ prisma, publicBaseUrl: deps.publicBaseUrl, now: () => deps.now(), versions: deps.reads.versions });
  const guards = { ...DEFAULT_GUARDS, ...deps.guards };

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

  // --- signing in and out (inloggning.ts): refused links and asks are limited per address and account ---

  signInRoutes(k, r, s, { failures: failureLimiter(guards), asks: windowCounter({ windowMs: 10 * 60_000, perAddress: guards.signInRequestsPer10Minutes, perAccount: Infinity }) });

  // --- everything else: signed in, in a förbund (chosen, for a person of several) ---

  signedInOnly(k, r, s);

  // --- everyone's own pages (mina.ts): ledamöter and ersättare, revisorer, samordnare ---

  ownPages(k, r);

  // --- as the official or the secretary ---

  pageRolesOnly(r);

  const { renderStart } = startPages(k, r);
  reportPages(k, r, renderStart);
  yearPages(k, r);
  projectPages(k, r);
  boardPages(k, r);
  moneyPages(k, r);
  auditPages(k, r);
  sessionPages(k, r);
  delegationPages(k, r);

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
}
