// Signing in to the pages with the deployment's OpenID Connect provider (services/oidc.ts), when
// OIDC_ISSUER is configured; registered by signInRoutes (inloggning.ts), before the session check.
//
// - GET /admin/logga-in/oidc (the sign-in page's button): the browser is bound (the same
//   SameSite=Lax binding cookie as the e-mail link's), a sign-in is started and the browser sent
//   to the provider (303). The provider out of reach: 503 with a Swedish page.
// - GET /admin/logga-in/oidc/klar (the redirect URI: PUBLIC_BASE_URL + this path): the provider's
//   answer, in the browser that started it, once, within 10 minutes; a session (as the e-mail link
//   makes one, via 'oidc') and a page that goes on at once to /admin, or /admin/valj-forbund for a
//   person of several förbund (onwardPage: not a redirect, see there). Refused: 401 with a Swedish page; counted against the client address (and the address
//   the provider gave, if any) in the failure limiter, as refused links are; 429 once either has
//   used up its refusals. A refusal for an address that is some person's is audited in each of
//   their förbund (signin.refused, via oidc); every refusal is logged with its reason.
//
// Without OIDC configured the routes answer 404 (they are declared either way, so the OpenAPI
// document is the same for every deployment).
import type { Request, Response, Router } from 'express';
import { addressForLog, auditRefusedOidc, OIDC_CALLBACK_PATH, OIDC_MINUTES, OidcUnavailable, oidcSignIn, type OidcRefusal } from '../../services/oidc.js';
import { logger } from '../../worker/log.js';
import type { Sessions } from '../admin-session.js';
import { clientAddress, type FailureLimiter } from '../guards.js';
import { messagePage } from '../pages/admin.js';
import { tooManyPage } from '../pages/inloggning.js';
import { html, type AdminKit } from './kit.js';

const log = logger({ component: 'sign-in-oidc' });

const again = { href: '/admin/logga-in', text: 'Till inloggningen' };

/** What the person is told. Who they are (no claim, an unverified address, nobody with it) is one answer, so it says nothing about accounts. */
const REFUSED: Record<'state-unknown' | 'state-used' | 'state-expired' | 'other-browser' | 'cancelled' | 'provider' | 'who', { title: string; paragraphs: string[] }> = {
  'state-unknown': { title: 'Inloggningen gick inte att slutföra', paragraphs: ['Svaret från inloggningstjänsten hör inte till någon inloggning som pågår här, så du är inte inloggad. Börja om från inloggningssidan.'] },
  'state-used': { title: 'Inloggningen är redan använd', paragraphs: ['Svaret från inloggningstjänsten har redan använts och gäller bara en gång. Börja om från inloggningssidan om du behöver logga in igen.'] },
  'state-expired': { title: 'Inloggningen tog för lång tid', paragraphs: [`En inloggning måste vara klar inom ${OIDC_MINUTES} minuter, så du är inte inloggad. Börja om från inloggningssidan.`] },
  'other-browser': { title: 'Logga in i samma webbläsare', paragraphs: ['Inloggningen började i en annan webbläsare, så du är inte inloggad här. Börja om från inloggningssidan i den här webbläsaren.'] },
  cancelled: { title: 'Inloggningen avbröts', paragraphs: ['Inloggningen avbröts hos inloggningstjänsten, så du är inte inloggad. Börja om från inloggningssidan om du vill logga in.'] },
  provider: {
    title: 'Inloggningen kunde inte godtas',
    paragraphs: ['Svaret från inloggningstjänsten kunde inte godtas, så du är inte inloggad. Försök igen från inloggningssidan.', 'Fungerar det ändå inte kan du logga in med en länk via e-post.'],
  },
  who: {
    title: 'Du kunde inte loggas in',
    paragraphs: [
      'Kontot du loggade in med kunde inte kopplas till någon person i ett samordningsförbund som använder Årscykel, så du är inte inloggad.',
      'Årscykel känner igen dig på den e-postadress som ditt samordningsförbund har till dig, och inloggningstjänsten måste ha bekräftat adressen. Fråga förbundets tjänsteperson, eller logga in med en länk via e-post.',
    ],
  },
};

const pageOf = (why: OidcRefusal, detail?: string) =>
  why === 'unknown-state' ? REFUSED['state-unknown']
  : why === 'used-state' ? REFUSED['state-used']
  : why === 'expired-state' ? REFUSED['state-expired']
  : why === 'other-browser' ? REFUSED['other-browser']
  : why === 'provider-error' && detail?.startsWith('access_denied') ? REFUSED.cancelled
  : why === 'missing-claim' || why === 'unverified-email' || why === 'no-person' ? REFUSED.who
  : REFUSED.provider;

/**
 * Signed in: a page of this site that goes on at once. Not a redirect: the provider's redirect
 * here is a navigation from another site, and the browser withholds the SameSite=Strict session
 * cookie along all of its redirects, so /admin would not see the session; a navigation this page
 * starts itself (a meta refresh, or the link) is this site's own.
 */
export function onwardPage(to: '/admin' | '/admin/valj-forbund'): string {
  const body = messagePage({ title: 'Du är inloggad', paragraphs: ['Du skickas vidare nu.'], links: [{ href: to, text: to === '/admin' ? 'Fortsätt till Att göra' : 'Fortsätt och välj förbund' }] });
  return body.replace('<meta charset="utf-8">', `<meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${to}">`);
}

export const oidcRefusedPage = (why: OidcRefusal, detail?: string) => messagePage({ ...pageOf(why, detail), links: [again] });

export function oidcRoutes(k: AdminKit, r: Router, s: Sessions, limits: { failures: FailureLimiter }): void {
  const { deps, prisma, page } = k;
  const oidc = deps.oidc ? oidcSignIn(deps.oidc, { prisma, publicBaseUrl: deps.publicBaseUrl, now: () => deps.now() }) : undefined;
  const notConfigured = (res: Response) =>
    html(res, 404, messagePage({ title: 'Sidan finns inte', paragraphs: ['Inloggning med e-legitimation eller organisationens konto är inte påslagen här. Logga in med en länk via e-post.'], links: [again] }));

  page(
    r,
    {
      method: 'get',
      path: '/logga-in/oidc',
      summary: `sign in with the deployment's OpenID Connect provider (OIDC_ISSUER): binds the browser (a cookie), starts a sign-in (state, nonce, PKCE; ${OIDC_MINUTES} minutes) and redirects (303) to the provider; 503 when the provider cannot be reached, 404 without OIDC configured (Swedish HTML)`,
      response: { contentType: 'text/html' },
    },
    async (req, res) => {
      if (!oidc) return notConfigured(res);
      if (s.hasCookie(req) && (await s.current(req))) return res.redirect(303, '/admin');
      const browserSecret = s.bind(req, res);
      try {
        const url = await oidc.start({ browserSecret });
        res.redirect(303, url.href);
      } catch (err) {
        if (!(err instanceof OidcUnavailable)) throw err;
        log.warn('OIDC sign-in not started: the provider could not be reached', { why: 'provider-unreachable', detail: err.message, address: clientAddress(req) });
        res.set('Retry-After', '60');
        html(res, 503, messagePage({ title: 'Inloggningstjänsten svarar inte', paragraphs: ['Inloggningstjänsten gick inte att nå just nu. Försök igen om en stund, eller logga in med en länk via e-post.'], links: [again] }));
      }
    },
  );

  page(
    r,
    {
      method: 'get',
      path: '/logga-in/oidc/klar',
      summary: `the OpenID Connect redirect URI (PUBLIC_BASE_URL${OIDC_CALLBACK_PATH}; query code, state, iss or error): in the browser that started the sign-in, once, within ${OIDC_MINUTES} minutes, the code is exchanged and the ID token validated (iss, aud, exp, nonce, signature), the person found by OIDC_MATCH_CLAIM (email: verified only); a server-side session (as the e-mail link's, audited via oidc) and a page that goes on at once (meta refresh, and a link) to /admin (or /admin/valj-forbund for a person of several förbund): not a redirect, since the browser withholds the SameSite=Strict session cookie along a redirect chain that another site started; refused: 401 with a Swedish page that does not say whether an account is known (audited for a person's address, else logged, with the reason); 429 after too many refusals from this address or for this account; 404 without OIDC configured`,
      query: {
        code: { schema: { type: 'string' }, description: 'the authorization code' },
        state: { schema: { type: 'string' }, description: 'the state this sign-in was started with' },
        iss: { schema: { type: 'string' }, description: 'the issuer (RFC 9207)' },
        error: { schema: { type: 'string' }, description: "the provider's error, instead of a code" },
      },
      response: { contentType: 'text/html' },
    },
    async (req: Request, res: Response) => {
      if (!oidc) return notConfigured(res);
      const query = new URL(req.originalUrl, 'http://localhost').search;
      const result = await oidc.finish({ query, browserSecret: s.browser(req) });
      if (!result.ok) {
        const keys = { address: clientAddress(req), ...(result.email ? { account: `email:${result.email}` } : {}) };
        const said = { why: result.why, address: keys.address, ...(result.detail ? { detail: result.detail } : {}), ...(result.loginId ? { loginId: result.loginId } : {}), ...(result.email ? addressForLog(result.email) : {}) };
        if (limits.failures.blocked(keys)) {
          log.warn('OIDC sign-in refused: too many refusals from this address or for this account', said);
          res.set('Retry-After', String(limits.failures.retryAfter(keys)));
          return html(res, 429, tooManyPage());
        }
        limits.failures.refused(keys);
        const audited = result.email ? await auditRefusedOidc(prisma, { email: result.email, why: result.why, address: keys.address }) : 0;
        log.warn(`OIDC sign-in refused: ${result.why}`, { ...said, audited });
        return html(res, 401, oidcRefusedPage(result.why, result.detail));
      }
      // A session this browser still had ends: one browser, one session.
      const before = s.hasCookie(req) ? await s.current(req) : undefined;
      if (before) await s.end(res, before);
      const row = await s.start(req, res, { email: result.email, via: 'oidc', people: result.people });
      log.info('OIDC sign-in', { sessionId: row.id, loginId: result.loginId, ...addressForLog(result.email) });
      const chosen = s.chosen(req);
      html(res, 200, onwardPage(result.people.length > 1 && !result.people.some((p) => p.forbund.slug === chosen) ? '/admin/valj-forbund' : '/admin'));
    },
  );
}
