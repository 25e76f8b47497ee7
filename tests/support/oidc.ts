// A real OpenID Connect provider for the tests: oidc-provider 8 on a local port, over http (the
// app is configured with OIDC_ALLOW_HTTP's allowHttp), with the app's client registered (its
// redirect URI, a secret, PKCE required) and a second client (for an ID token meant for another
// client). Its login is the provider's own development interaction (a form: any account id and
// password); the consent is granted at once, as for a first-party client. Accounts are the test's:
// an id and the claims the provider gives for it (email, email_verified).
//
// The test holds the provider's signing key, so it can change an ID token on its way out of the
// real token endpoint (`tamper`): the claims changed and signed again with the same key, so the
// signature holds and only openid-client's validation of the claims can refuse it.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  [claim: string]: unknown;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The other registered client (an ID token for it has the wrong audience for the app). */
  otherClientId: string;
  accounts: Map<string, TestAccount>;
  /** Changes the next ID tokens from the token endpoint, signed again with the provider's key or `key` (undefined: as issued). */
  tamper(change: ((claims: Record<string, unknown>) => Record<string, unknown>) | undefined, key?: KeyObject): void;
  close(): Promise<void>;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const unb64 = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;

/** The JWT's payload changed and signed again (RS256) with the provider's key, its header kept. */
export function resign(jwt: string, key: KeyObject, change: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const [h, p] = jwt.split('.');
  const body = `${h}.${b64(change(unb64(p)))}`;
  return `${body}.${sign('sha256', Buffer.from(body), key).toString('base64url')}`;
}

export async function startTestProvider(o: { port: number; host?: string; redirectUris: string[]; accounts?: Record<string, TestAccount> }): Promise<TestProvider> {
  const issuer = `http://${o.host ?? '127.0.0.1'}:${o.port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const accounts = new Map(Object.entries(o.accounts ?? {}));
  const clientId = 'arscykel';
  const clientSecret = 'arscykel-hemlighet-i-testet-0123456789';
  const otherClientId = 'annan-tjanst';
  let change: ((claims: Record<string, unknown>) => Record<string, unknown>) | undefined;
  let signingKey: KeyObject = privateKey;

  const provider = new Provider(issuer, {
    clients: [
      { client_id: clientId, client_secret: clientSecret, redirect_uris: o.redirectUris, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' },
      { client_id: otherClientId, client_secret: 'annan-hemlighet-i-testet-0123456789', redirect_uris: ['http://127.0.0.1:9/annan'], grant_types: ['authorization_code'], response_types: ['code'] },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    claims: { email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: unknown, id: string) {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
    // A first-party client: consent is given at once.
    async loadExistingGrant(ctx: { oidc: { client: { clientId: string }; session: { accountId?: string; grantIdFor(id: string): string | undefined }; result?: { consent?: { grantId?: string } }; provider: { Grant: GrantClass } } }) {
      const { client, session, result, provider: p } = ctx.oidc;
      if (!session.accountId) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const found = grantId ? await p.Grant.find(grantId) : undefined;
      if (found) return found;
      const grant = new p.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.oidc?.route === 'token' && change && body?.id_token) ctx.body = { ...body, id_token: resign(body.id_token, signingKey, change) };
  });

  const server: Server = provider.listen(o.port, o.host === 'localhost' ? undefined : (o.host ?? '127.0.0.1'));
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    otherClientId,
    accounts,
    tamper: (c, key) => {
      change = c;
      signingKey = key ?? privateKey;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

interface GrantInstance {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface GrantClass {
  new (o: { clientId: string; accountId: string }): GrantInstance;
  find(id: string): Promise<GrantInstance | undefined>;
}
