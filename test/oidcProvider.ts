/**
 * A real OpenID provider on loopback for the sign-in tests: oidc-provider 9 in the test process, on 127.0.0.1 at a
 * random port, with plain http (oidc-provider accepts any web URI as its issuer; openid-client is told to allow http
 * for it, which the service's config allows only for a provider on this machine outside production).
 *
 * Clients: the service's staff client (client_secret_basic), its GOV.UK One Login stand-in (private_key_jwt with a
 * generated RSA key, as One Login requires) and another service (for a code issued to someone else). PKCE is required
 * for all. Nobody types a password: the login interaction is finished by the provider itself, as whichever account
 * the test said signs in next (`signInAs`), and the grant is made on the spot (no consent page).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccountClaims {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TokenRequest {
  clientId: string;
  /** How the client authenticated (oidc-provider's view): client_secret_basic, private_key_jwt... */
  authMethod: string | undefined;
  /** The client_assertion_type sent, if any (urn:ietf:params:oauth:client-assertion-type:jwt-bearer). */
  assertionType: unknown;
  status: number;
}

export const STAFF_CLIENT = { clientId: 'openehcp-staff', clientSecret: 'staff-client-secret-for-tests-only' };
export const ONE_LOGIN_CLIENT_ID = 'openehcp-one-login';
export const OTHER_CLIENT = { clientId: 'another-service', clientSecret: 'another-service-secret' };
export const OTHER_REDIRECT = 'http://127.0.0.1:9/other/callback';

export interface TestProvider {
  issuer: string;
  /** The One Login client's private key (PKCS#8 PEM), as ONE_LOGIN_PRIVATE_KEY_FILE would hold it. */
  oneLoginPrivateKeyPem: string;
  /** Every token request the provider answered, in order. */
  tokenRequests: TokenRequest[];
  /** Every authorisation request's parameters (prompt, max_age, vtr, code_challenge_method...), in order. */
  authorizationRequests: Record<string, unknown>[];
  /** Who the provider says signs in next: a subject and the claims it gives for them. */
  account(subject: string, claims: TestAccountClaims): void;
  /**
   * Plays the person's browser at the provider: follows `authorizationUrl` through the provider's login (finished
   * as `subject`) and returns where the provider sends them back (the service's callback, with code and state).
   * A fresh browser each time (no single sign-on left from an earlier test).
   */
  signInAs(subject: string, authorizationUrl: string): Promise<URL>;
  /** Who the provider's login finishes as from now on, for a real browser driven through it. */
  signInNext(subject: string): void;
  /** Fetches a URL at the provider (an end-session address) and gives its status. */
  visit(url: string): Promise<number>;
  close(): Promise<void>;
}

/** A cookie-keeping browser that follows redirects until one leads away from the provider. */
async function browse(start: string, issuer: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = new URL(start);
  for (let hop = 0; hop < 10; hop += 1) {
    if (!url.href.startsWith(issuer)) return url;
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`the provider answered ${res.status} without a redirect at ${url.pathname}`);
    url = new URL(location, url);
  }
  throw new Error('too many redirects at the provider');
}

export async function startTestProvider(serviceBaseUrl: string, port = 0): Promise<TestProvider> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const oneLoginPublicJwk = { ...publicKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'one-login' };
  const accounts = new Map<string, TestAccountClaims>();
  let nextSubject: string | undefined;
  const tokenRequests: TokenRequest[] = [];
  const authorizationRequests: Record<string, unknown>[] = [];

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: STAFF_CLIENT.clientId,
        client_secret: STAFF_CLIENT.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [`${serviceBaseUrl}/auth/callback`],
        post_logout_redirect_uris: [`${serviceBaseUrl}/signed-out`],
      },
      {
        client_id: ONE_LOGIN_CLIENT_ID,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'RS256',
        jwks: { keys: [oneLoginPublicJwk] },
        redirect_uris: [`${serviceBaseUrl}/auth/one-login/callback`],
        post_logout_redirect_uris: [`${serviceBaseUrl}/signed-out`],
      },
      {
        client_id: OTHER_CLIENT.clientId,
        client_secret: OTHER_CLIENT.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [OTHER_REDIRECT],
      },
    ],
    jwks: { keys: [{ ...signing.privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'signing' }] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // GOV.UK One Login's vector of trust, kept so a test can see it was asked for.
    extraParams: ['vtr'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => {
      const claims = accounts.get(sub);
      return claims ? { accountId: sub, claims: () => ({ sub, ...claims }) } : undefined;
    },
    // The grant is made at once (a first-party client: no consent page).
    loadExistingGrant: async (ctx: {
      oidc: {
        client: { clientId: string };
        session: { accountId: string; grantIdFor(id: string): string | undefined };
        result?: { consent?: { grantId?: string } };
      };
    }) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return provider.Grant.find(grantId);
      const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    cookies: { keys: [randomUUID()] },
    renderError: (ctx: { type: string; body: string }, out: { error: string }) => {
      ctx.type = 'text/plain';
      ctx.body = out.error;
    },
  });

  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && ctx.oidc?.client) {
      tokenRequests.push({
        clientId: ctx.oidc.client.clientId,
        authMethod: ctx.oidc.client.clientAuthMethod,
        assertionType: ctx.oidc.params?.client_assertion_type,
        status: ctx.status,
      });
    }
  });

  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    void (async () => {
      const interaction = await provider.interactionDetails(req, res);
      authorizationRequests.push(interaction.params);
      const accountId = nextSubject;
      if (!accountId) throw new Error('signInAs names who signs in');
      await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });

  return {
    issuer,
    oneLoginPrivateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    tokenRequests,
    authorizationRequests,
    account: (subject, claims) => accounts.set(subject, claims),
    signInNext: (subject) => {
      nextSubject = subject;
    },
    signInAs: (subject, authorizationUrl) => {
      nextSubject = subject;
      return browse(authorizationUrl, issuer);
    },
    visit: async (url) => (await fetch(url, { redirect: 'manual' })).status,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
