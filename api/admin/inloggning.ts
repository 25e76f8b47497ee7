// Signing in to the pages as a person (api/admin-session.ts, services/sign-in.ts), signing out,
// choosing a förbund, and the official's list of the förbund's open sessions.
//
// - GET /admin/logga-in asks for an address; POST answers the same page for every address, known
//   or not, and the link is made and mailed after the answer (requestSignInLink, in deps.afterAnswer,
//   which a stop waits for).
// - GET /admin/logga-in/lank?token=… shows a button (a mail scanner's GET signs nobody in); POST
//   signs in: the link must hold (15 minutes, unused) in the browser that asked for it.
// - Refused links count against the address and the account (the link's address) in the failure
//   limiter (api/guards.ts): once either has used up its refusals the answer is 429, but a link that
//   holds always signs in. A refused link that was some person's is audited in each of their
//   förbund (signin.refused); one that is nobody's has no förbund to audit in and is logged.
// - With OIDC_ISSUER configured, the page also offers the provider's button (oidc.ts).
// - Asking for links is limited per client address (429, the same for known and unknown addresses);
//   the account, the address asked for, gets at most 5 links per 15 minutes, counted in the
//   database (so across processes) and answered the same (services/sign-in.ts).
import type { Request, Response, Router } from 'express';
import { toStockholmDate, toStockholmTime } from '../../domain/dates.js';
import { svDate, svTime } from '../../domain/texts.js';
import { audit } from '../../services/audit.js';
import { ABSOLUTE_HOURS, endsAt, IDLE_MINUTES, openSessionsOf, peopleOf, revokeSession, type PersonInForbund } from '../../services/sessions.js';
import { auditRefusedSignIn, checkSignInLink, LINK_MINUTES, looksLikeEmail, requestSignInLink, useSignInLink } from '../../services/sign-in.js';
import { logger } from '../../worker/log.js';
import { personIn, sessionFor, type Session, type Sessions, type SignedIn } from '../admin-session.js';
import { actor } from '../auth.js';
import { clientAddress, type FailureLimiter } from '../guards.js';
import { messagePage } from '../pages/admin.js';
import { askPage, choosePage, linkPage, linkRefusedPage, noPagesPage, sentPage, sessionsPage, tooManyPage, type SessionView } from '../pages/inloggning.js';
import { doneMessages, flashOf, formOf, html, PageError, PERSON_ROLE_SV, withDone, type AdminKit } from './kit.js';
import { oidcRoutes } from './oidc.js';

const log = logger({ component: 'sign-in' });

doneMessages({ 'inloggning-avslutad': 'Inloggningen är avslutad. Personen är utloggad och får logga in igen för att fortsätta.' });

const ROLE_ORDER = ['official', 'secretary', 'economist', 'board_member', 'auditor', 'coordinator'];
const rolesSv = (roles: readonly string[]) => [...new Set(ROLE_ORDER.filter((r) => roles.includes(r)).map((r) => PERSON_ROLE_SV[r]))].join(', ');
const at = (d: Date) => `${svDate(toStockholmDate(d))} kl. ${svTime(toStockholmTime(d))}`;

/** 'Chrome på Windows' from a User-Agent, as far as it says. */
export function browserOf(ua: string): string {
  const name = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /(Headless)?Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : '';
  const os = /Windows/.test(ua) ? 'Windows' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Android/.test(ua) ? 'Android' : /Linux/.test(ua) ? 'Linux' : '';
  if (!name && !os) return 'Okänd webbläsare';
  return [name || 'Webbläsare', os ? `på ${os}` : ''].filter(Boolean).join(' ');
}

/** Signing in and out: before the session check (these pages are for people not signed in). */
export function signInRoutes(k: AdminKit, r: Router, s: Sessions, limits: { failures: FailureLimiter; asks: FailureLimiter }): void {
  const { deps, prisma, page } = k;
  // With OIDC configured the page offers the provider's button above the e-mail form.
  const texts = { minutes: LINK_MINUTES, idleMinutes: IDLE_MINUTES, hours: ABSOLUTE_HOURS, oidcLabel: deps.oidc?.label };

  page(r, { method: 'get', path: '/logga-in', summary: 'the sign-in page: asks for the person\'s e-mail address (Swedish HTML); signed in already: a redirect to /admin', response: { contentType: 'text/html' } }, async (req, res) => {
    if (s.hasCookie(req) && (await s.current(req))) return res.redirect(303, '/admin');
    html(res, 200, askPage({ ...texts, notice: req.query.utloggad === '1' ? 'Du är utloggad.' : undefined }));
  });

  page(
    r,
    {
      method: 'post',
      path: '/logga-in',
      summary: `ask for a sign-in link (form field epost): the same answer for every address, known or not; a person's address gets a link by mail (made after the answer), valid ${LINK_MINUTES} minutes, once, in this browser only (a binding cookie is set); 400 for an address that is not one, 429 after too many asks from this client address (Swedish HTML)`,
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const email = (formOf(req).epost ?? '').trim();
      if (!email) return html(res, 400, askPage({ ...texts, error: 'Skriv din e-postadress.' }));
      if (!looksLikeEmail(email)) return html(res, 400, askPage({ ...texts, value: email, error: 'Skriv e-postadressen som namn@exempel.se.' }));
      const keys = { address: clientAddress(req) };
      if (limits.asks.blocked(keys)) {
        res.set('Retry-After', String(limits.asks.retryAfter(keys)));
        return html(res, 429, tooManyPage());
      }
      limits.asks.refused(keys);
      const browserSecret = s.bind(req, res);
      // Whether the address is anyone's is looked up after the answer: neither the page nor its timing says.
      // 'close' comes when the answer is sent, or the client went away first: the link is made either way.
      // The link is counted and dated as of the ask, however late the work after the answer runs.
      const askedAt = deps.now();
      res.once('close', () =>
        deps.afterAnswer.start(
          () => requestSignInLink({ prisma, mailer: deps.mailer, publicBaseUrl: deps.publicBaseUrl, now: () => askedAt, log: (msg, fields) => log.info(msg, fields) }, { email, browserSecret }),
          (err) => log.error('sign-in link failed', { error: err as Error }),
        ),
      );
      html(res, 200, sentPage({ email, minutes: LINK_MINUTES }));
    },
  );

  page(
    r,
    {
      method: 'get',
      path: '/logga-in/lank',
      summary: 'the page of a mailed sign-in link (query token): a button that signs in; the GET alone signs nobody in (a mail scanner may open it); a link that is unknown, used, expired or asked for in another browser is refused (401) with what to do (Swedish HTML)',
      query: { token: { schema: { type: 'string' }, description: 'the secret of the link' } },
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const token = typeof req.query.token === 'string' ? req.query.token : '';
      const check = await checkSignInLink(prisma, token, s.browser(req), deps.now());
      if (!check.ok) return html(res, 401, linkRefusedPage(check.why));
      html(res, 200, linkPage({ token }));
    },
  );

  page(
    r,
    {
      method: 'post',
      path: '/logga-in/lank',
      summary: 'sign in with a mailed link (form field token), once, in the browser that asked for it: a server-side session (an HttpOnly, SameSite=Strict cookie with its secret), audited, and a redirect to /admin (or /admin/valj-forbund for a person of several förbund); refused: 401 with why, audited for the address it was for; 429 after too many refusals from this address or for this account (Swedish HTML)',
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      const token = (formOf(req).token ?? '').trim();
      const used = await useSignInLink(prisma, token, s.browser(req), deps.now());
      const people = used.ok ? await peopleOf(prisma, used.email) : [];
      if (!used.ok || !people.length) {
        const why = used.ok ? 'unknown' : used.why;
        const keys = { address: clientAddress(req), ...(used.email ? { account: `email:${used.email}` } : {}) };
        if (limits.failures.blocked(keys)) {
          res.set('Retry-After', String(limits.failures.retryAfter(keys)));
          return html(res, 429, tooManyPage());
        }
        limits.failures.refused(keys);
        const audited = used.email ? await auditRefusedSignIn(prisma, { email: used.email, why, address: keys.address }) : 0;
        if (!audited) log.warn('sign-in refused: a link that is no person\'s (nobody to audit it for)', { why, address: keys.address });
        return html(res, 401, linkRefusedPage(why));
      }
      // A session this browser still had ends: one browser, one session.
      const before = s.hasCookie(req) ? await s.current(req) : undefined;
      if (before) await s.end(res, before);
      await s.start(req, res, { email: used.email, via: 'email-link', people });
      const chosen = s.chosen(req);
      res.redirect(303, people.length > 1 && !people.some((p) => p.forbund.slug === chosen) ? '/admin/valj-forbund' : '/admin');
    },
  );

  // Signing in with the deployment's OpenID Connect provider (oidc.ts), refusals counted as refused links are.
  oidcRoutes(k, r, s, limits);

  page(r, { method: 'post', path: '/logga-ut', summary: 'sign out: the session ends for good (audited) and its cookie is cleared', response: { contentType: 'text/html' } }, async (req, res) => {
    await s.end(res, await s.current(req));
    res.redirect(303, '/admin/logga-in?utloggad=1');
  });
}

/**
 * Everything after this is for a signed-in person in a förbund: the session is checked, and a
 * person of several förbund chooses one first (/admin/valj-forbund). Sets res.locals.signedIn (the
 * session and every förbund's Person row) and res.locals.person (the Person row, with its roles, in
 * the förbund chosen). Pages for the roles that have none yet (ledamot, revisor, samordnare) go
 * after this and before pageRolesOnly, reading res.locals.person.
 */
export function signedInOnly(k: AdminKit, r: Router, s: Sessions): void {
  const { page } = k;

  r.use(async (req, res, next) => {
    const cur = s.hasCookie(req) ? await s.current(req) : undefined;
    if (!cur) {
      if (s.hasCookie(req)) s.clear(res);
      if (req.method === 'GET') return res.redirect(303, '/admin/logga-in');
      return html(res, 401, messagePage({ title: 'Du är inte inloggad', paragraphs: ['Du har loggats ut, så inget har ändrats. Logga in och försök igen.'], links: [{ href: '/admin/logga-in', text: 'Logga in' }] }));
    }
    res.locals.signedIn = cur;
    next();
  });

  const nobody = (res: Response) =>
    html(res, 403, messagePage({ title: 'Du finns inte i något förbund', paragraphs: ['Adressen du loggade in med finns inte längre hos något samordningsförbund i Årscykel. Fråga förbundets tjänsteperson.'], links: [{ href: '/admin/logga-in', text: 'Till inloggningen' }] }));

  const choices = (cur: SignedIn) => cur.people.map((p) => ({ slug: p.forbund.slug, name: p.forbund.name, roles: rolesSv(p.roles) || 'Ingen roll med egna sidor' }));

  page(r, { method: 'get', path: '/valj-forbund', summary: 'for a person of several förbund: choose whose pages to open (Swedish HTML)', response: { contentType: 'text/html' } }, async (req, res) => {
    const cur = res.locals.signedIn as SignedIn;
    if (!cur.people.length) return nobody(res);
    html(res, 200, choosePage({ name: cur.people[0].name, forbunds: choices(cur), current: personIn(cur, s.chosen(req))?.forbund.slug }));
  });

  page(r, { method: 'post', path: '/valj-forbund', summary: 'choose the förbund (form field forbund: its slug, one of the person\'s own) and go to its pages', response: { contentType: 'text/html' } }, async (req, res) => {
    const cur = res.locals.signedIn as SignedIn;
    const slug = formOf(req).forbund ?? '';
    if (!cur.people.some((p) => p.forbund.slug === slug)) {
      if (!cur.people.length) return nobody(res);
      return html(res, 400, choosePage({ name: cur.people[0].name, forbunds: choices(cur) }));
    }
    s.choose(res, slug);
    res.redirect(303, '/admin');
  });

  r.use((req, res, next) => {
    const cur = res.locals.signedIn as SignedIn;
    if (!cur.people.length) return nobody(res);
    const p = personIn(cur, s.chosen(req));
    if (!p) {
      if (req.method === 'GET') return res.redirect(303, '/admin/valj-forbund');
      return html(res, 409, messagePage({ title: 'Välj förbund först', paragraphs: ['Du finns i flera förbund. Välj vilket förbunds sidor du arbetar i; inget har ändrats.'], links: [{ href: '/admin/valj-forbund', text: 'Välj förbund' }] }));
    }
    res.locals.person = p;
    next();
  });
}

/**
 * The official's and the secretary's pages from here on: the person's roles in the förbund chosen
 * must give a page role (official → admin, secretary → secretary); anyone else is told there are no
 * pages for them yet. Sets req.auth and res.locals.session.
 */
export function pageRolesOnly(r: Router): void {
  r.use((req, res, next) => {
    const cur = res.locals.signedIn as SignedIn;
    const p = res.locals.person as PersonInForbund;
    const session = sessionFor(cur, p);
    if (!session) return html(res, 403, noPagesPage({ name: p.name, forbundName: p.forbund.name, roles: rolesSv(p.roles), several: cur.people.length > 1 }));
    req.auth = session.auth;
    res.locals.session = session;
    next();
  });
}

/** The official's list of the förbund's people's open sessions, and ending one. */
export function sessionPages(k: AdminKit, r: Router): void {
  const { deps, prisma, page, fid, isAdmin, chrome, sessionOf } = k;
  const officialOnly = (req: Request) => {
    if (!isAdmin(req)) throw new PageError(403, 'Inloggningarna är tjänstepersonens', ['Listan över vilka som är inloggade kan bara tjänstepersonen se och ändra; inget har ändrats.']);
  };

  page(r, { method: 'get', path: '/inloggningar', summary: "the förbund's people's open sessions (who, since when, last seen, when it ends, which browser), each with a button that ends it; the official only (Swedish HTML)", response: { contentType: 'text/html' } }, async (req, res) => {
    officialOnly(req);
    const me = sessionOf(res) as Session;
    const rows = await openSessionsOf(prisma, fid(req), deps.now());
    const view: SessionView[] = rows.map((x) => ({
      id: x.id,
      name: x.person.name,
      roles: rolesSv(x.person.roles),
      mine: x.id === me.sessionId,
      via: x.via === 'email-link' ? 'med länk via e-post' : x.via === 'oidc' ? 'med inloggningstjänst' : x.via,
      startedText: at(x.createdAt),
      seenText: at(x.lastSeenAt),
      endsText: at(endsAt(x)),
      browser: browserOf(x.userAgent),
    }));
    html(res, 200, sessionsPage({ chrome: await chrome(req, res, 'sessions'), rows: view, flash: flashOf(req), several: me.people.length > 1 }));
  });

  page(r, { method: 'post', path: '/inloggningar/:id/avsluta', summary: 'end a session of one of the förbund\'s people at once (audited as session.revoked); the official only', params: { id: 'session id' }, response: { contentType: 'text/html' } }, async (req, res) => {
    officialOnly(req);
    const id = String(req.params.id);
    const open = (await openSessionsOf(prisma, fid(req), deps.now())).find((x) => x.id === id);
    if (!open) throw new PageError(404, 'Inloggningen finns inte', ['Inloggningen är redan avslutad eller hör inte till förbundet; inget har ändrats.']);
    const by = actor(req);
    const ended = await revokeSession(prisma, { id, by, now: deps.now() });
    if (ended) await audit(prisma, { forbundId: fid(req), actor: by, action: 'session.revoked', entityType: 'session', entityId: id, data: { name: open.person.name, email: open.email } });
    res.redirect(303, withDone('/admin/inloggningar', 'inloggning-avslutad'));
  });
}

