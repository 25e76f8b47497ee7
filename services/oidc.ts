// Signing in with OpenID Connect (configured per deployment: OIDC_ISSUER, OIDC_CLIENT_ID,
// OIDC_CLIENT_SECRET), beside the embedded sign-in by e-mail link (services/sign-in.ts): a
// förbund's own tenant (Entra ID, Google Workspace …) or an e-legitimation broker (BankID, Freja
// eID through an OIDC broker). The authorization code flow with PKCE, through openid-client.
//
// Start: a random state, nonce and PKCE verifier; the sign-in under way is stored (OidcLogin: the
// state's hash, the hash of the browser binding cookie's secret, the nonce and the verifier) for
// 10 minutes, and the browser is sent to the provider. Finish (the provider's redirect back to
// PUBLIC_BASE_URL/admin/logga-in/oidc/klar): the sign-in is looked up by the state's hash and
// must exist, be unused, unexpired (on the app's clock) and in the browser that started it; it is
// then used, once, whichever request comes first (an update where usedAt is null), before the code
// is exchanged. openid-client checks the authorization response (state, iss), sends the verifier,
// and validates the ID token: its signature against the provider's JWKS, iss, aud (and azp), exp,
// nonce (the token's times on the real clock, as the provider issues them, with openid-client's
// 30 seconds' tolerance). The person is then found by a claim (OIDC_MATCH_CLAIM, default `email`;
// read from the ID token, else from the userinfo endpoint), whose value is compared with the
// people's addresses in the förbund files (peopleOf); matched on `email`, the provider must also
// say the address is verified (`email_verified: true`). The callback answers with a page that
// goes on to /admin rather than a redirect (api/admin/oidc.ts says why).
//
// Every refusal has a reason of its own (OidcRefusal) for the log and the audit trail. What the
// person is shown never says whether an account or address is known: the refusals about who the
// person is (no claim, an unverified address, nobody with the address) all get the same page. A
// refusal for an address that is some person's is audited in each of their förbund
// (signin.refused); the rest have no förbund to audit in and are logged.
import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import { normalEmail } from '../domain/dagens-lage.js';
import type { PrismaClient } from '../prisma/db.js';
import { audit } from './audit.js';
import { peopleOf, type PersonInForbund } from './sessions.js';
import { looksLikeEmail } from './sign-in.js';

/** A sign-in under way holds this long. */
export const OIDC_MINUTES = 10;
/** Where the provider sends the browser back (the redirect URI is PUBLIC_BASE_URL + this). */
export const OIDC_CALLBACK_PATH = '/admin/logga-in/oidc/klar';

/** The deployment's provider (worker/config.ts reads it from OIDC_*). */
export interface OidcConfig {
  /** The issuer's URL; its metadata is discovered from `/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claim whose value is a person's e-mail address (default `email`). */
  matchClaim: string;
  /** The button's text on the sign-in page. */
  label: string;
  /** An http issuer (tests and development only; refused in production). */
  allowHttp?: boolean;
}

export const oidcRedirectUri = (publicBaseUrl: string) => `${publicBaseUrl.replace(/\/$/, '')}${OIDC_CALLBACK_PATH}`;

export type OidcRefusal =
  /** No sign-in under way has this state (or none was given). */
  | 'unknown-state'
  /** The sign-in was finished already: a replayed callback. */
  | 'used-state'
  /** More than 10 minutes since it was started. */
  | 'expired-state'
  /** The callback came to another browser than the one that started the sign-in. */
  | 'other-browser'
  /** The provider answered with an error (the person cancelled, the code was refused …). */
  | 'provider-error'
  /** The provider could not be reached (discovery, token or userinfo endpoint). */
  | 'provider-unreachable'
  /** The response or the ID token came from another issuer. */
  | 'wrong-issuer'
  /** The ID token was for another client. */
  | 'wrong-audience'
  /** The ID token had expired. */
  | 'expired-token'
  /** The ID token's nonce was not this sign-in's. */
  | 'nonce-mismatch'
  /** The ID token's signature does not hold against the provider's JWKS. */
  | 'bad-signature'
  /** Anything else wrong with the token response (a claim's type, a time …). */
  | 'invalid-token'
  /** The match claim is missing or is no e-mail address. */
  | 'missing-claim'
  /** Matched on `email`, but the provider does not say the address is verified. */
  | 'unverified-email'
  /** Nobody in any förbund has the address. */
  | 'no-person';

export type OidcResult =
  | { ok: true; email: string; people: PersonInForbund[]; subject: string; loginId: string }
  | { ok: false; why: OidcRefusal; email?: string; detail?: string; loginId?: string };

/** The provider could not be reached when a sign-in was to start. */
export class OidcUnavailable extends Error {}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const STATE = /^[A-Za-z0-9_-]{20,200}$/;

/** The refusal an error of openid-client stands for, and its message for the log. */
export function refusalOf(err: unknown): { why: OidcRefusal; detail: string } {
  const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300);
  if (err instanceof client.AuthorizationResponseError || err instanceof client.ResponseBodyError) return { why: 'provider-error', detail: `${err.error}${err.error_description ? `: ${err.error_description}` : ''}`.slice(0, 300) };
  if (err instanceof client.WWWAuthenticateChallengeError) return { why: 'provider-error', detail };
  if (err instanceof client.ClientError) {
    const claim = ((err.cause as { cause?: { claim?: unknown } } | undefined)?.cause?.claim ?? '') as string;
    const why = ((): OidcRefusal => {
      switch (err.code) {
        case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
          return claim === 'aud' || claim === 'azp' ? 'wrong-audience' : claim === 'nonce' ? 'nonce-mismatch' : claim === 'iss' ? 'wrong-issuer' : 'invalid-token';
        case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
          return claim === 'exp' ? 'expired-token' : 'invalid-token';
        case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
          // The discovered metadata's issuer, or the userinfo's sub.
          return /"issuer"/.test((err.cause as Error | undefined)?.message ?? '') ? 'wrong-issuer' : 'invalid-token';
        case 'OAUTH_INVALID_RESPONSE': {
          // The authorization response's iss parameter (RFC 9207), the signature, among others.
          const cause = (err.cause as Error | undefined)?.message ?? '';
          return /"iss"/.test(cause) ? 'wrong-issuer' : /signature verification failed/.test(cause) ? 'bad-signature' : 'invalid-token';
        }
        case 'OAUTH_TIMEOUT':
        case 'OAUTH_ABORT':
          return 'provider-unreachable';
        case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
        case 'OAUTH_RESPONSE_IS_NOT_JSON':
          return 'provider-error';
        default:
          return 'invalid-token';
      }
    })();
    return { why, detail: claim ? `${detail} (${claim})` : `${detail}${(err.cause as Error | undefined)?.message ? `: ${(err.cause as Error).message}` : ''}`.slice(0, 300) };
  }
  // fetch's own failures (refused connection, DNS): a TypeError.
  if (err instanceof TypeError) return { why: 'provider-unreachable', detail: `${detail}${(err.cause as Error | undefined)?.message ? `: ${(err.cause as Error).message}` : ''}` };
  return { why: 'invalid-token', detail };
}

/**
 * Signing in with the deployment's provider. The provider's metadata is discovered at the first
 * sign-in (and again after a failed discovery); openid-client keeps its JWKS.
 */
export function oidcSignIn(cfg: OidcConfig, deps: { prisma: PrismaClient; publicBaseUrl: string; now: () => Date }) {
  const { prisma } = deps;
  const redirectUri = oidcRedirectUri(deps.publicBaseUrl);
  const scope = cfg.matchClaim === 'email' ? 'openid email' : 'openid email profile';
  let discovered: Promise<client.Configuration> | undefined;

  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(new URL(cfg.issuer), cfg.clientId, { client_secret: cfg.clientSecret, redirect_uris: [redirectUri], response_types: ['code'] }, client.ClientSecretPost(cfg.clientSecret), {
        timeout: 10,
        execute: [...(cfg.allowHttp ? [client.allowInsecureRequests] : []), client.enableNonRepudiationChecks],
      })
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  };

  return {
    label: cfg.label,
    redirectUri,

    /** A new sign-in for this browser: the provider's authorization URL to send it to. Throws OidcUnavailable. */
    async start(o: { browserSecret: string; returnTo?: string }): Promise<URL> {
      let config: client.Configuration;
      try {
        config = await configuration();
      } catch (err) {
        throw new OidcUnavailable(refusalOf(err).detail);
      }
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      const now = deps.now();
      // Sign-ins never finished are kept a day (for the log's sake), then go.
      await prisma.oidcLogin.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 24 * 3600_000) } } });
      await prisma.oidcLogin.create({
        data: { stateHash: sha256(state), browserHash: sha256(o.browserSecret), nonce, codeVerifier, returnTo: o.returnTo ?? null, createdAt: now, expiresAt: new Date(now.getTime() + OIDC_MINUTES * 60_000) },
      });
      return client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope,
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
    },

    /** The provider's answer (the callback's query string) in this browser: the person signed in, or why not. */
    async finish(o: { query: string; browserSecret: string | undefined }): Promise<OidcResult> {
      const params = new URLSearchParams(o.query);
      const state = params.get('state') ?? '';
      if (!STATE.test(state)) return { ok: false, why: 'unknown-state' };
      const row = await prisma.oidcLogin.findUnique({ where: { stateHash: sha256(state) } });
      if (!row) return { ok: false, why: 'unknown-state' };
      const loginId = row.id;
      const now = deps.now();
      if (row.usedAt) return { ok: false, why: 'used-state', loginId };
      if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, why: 'expired-state', loginId };
      if (!o.browserSecret || sha256(o.browserSecret) !== row.browserHash) return { ok: false, why: 'other-browser', loginId };
      // Used once, whichever request comes first.
      const taken = await prisma.oidcLogin.updateMany({ where: { id: row.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
      if (taken.count !== 1) return { ok: false, why: 'used-state', loginId };

      const error = params.get('error');
      if (error) return { ok: false, why: 'provider-error', detail: `${error}${params.get('error_description') ? `: ${params.get('error_description')}` : ''}`.slice(0, 300), loginId };

      let config: client.Configuration;
      try {
        config = await configuration();
      } catch (err) {
        return { ok: false, ...refusalOf(err), loginId };
      }
      const current = new URL(redirectUri);
      current.search = params.toString();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, current, { expectedState: state, expectedNonce: row.nonce, pkceCodeVerifier: row.codeVerifier, idTokenExpected: true });
      } catch (err) {
        return { ok: false, ...refusalOf(err), loginId };
      }
      const idToken = tokens.claims();
      if (!idToken) return { ok: false, why: 'invalid-token', detail: 'no ID token', loginId };

      // The claim from the ID token, else from userinfo (a provider may put the profile claims only there).
      let source: Record<string, unknown> = idToken;
      if (idToken[cfg.matchClaim] === undefined && tokens.access_token) {
        try {
          source = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
        } catch (err) {
          return { ok: false, ...refusalOf(err), loginId };
        }
      }
      const value = source[cfg.matchClaim];
      if (typeof value !== 'string' || !looksLikeEmail(value.trim())) return { ok: false, why: 'missing-claim', detail: `claim ${cfg.matchClaim}: ${value === undefined ? 'absent' : 'not an e-mail address'}`, loginId };
      const email = normalEmail(value);
      if (cfg.matchClaim === 'email' && source.email_verified !== true) return { ok: false, why: 'unverified-email', email, loginId };
      const people = await peopleOf(prisma, email);
      if (!people.length) return { ok: false, why: 'no-person', email, loginId };
      return { ok: true, email, people, subject: idToken.sub, loginId };
    },
  };
}

export type OidcSignIn = ReturnType<typeof oidcSignIn>;

/** A refused OIDC sign-in for an address that is some person's: audited in each of their förbund (who, why, from where). */
export async function auditRefusedOidc(prisma: PrismaClient, o: { email: string; why: OidcRefusal; address: string }): Promise<number> {
  const people = await peopleOf(prisma, o.email);
  for (const p of people) await audit(prisma, { forbundId: p.forbund.id, actor: 'signin-oidc', action: 'signin.refused', entityType: 'person', entityId: p.personId, data: { name: p.name, why: o.why, via: 'oidc', address: o.address } });
  return people.length;
}

/** An address as the log names it: its domain and a short hash, never the address. */
export const addressForLog = (email: string) => ({ domain: email.split('@')[1] ?? '', emailHash: sha256(email).slice(0, 12) });
