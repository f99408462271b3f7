/**
 * One OpenID Connect relying party (openid-client 6): the authorisation code flow with PKCE (S256), state and nonce,
 * the ID token's signature, issuer, audience, nonce and times checked by openid-client, and RP-initiated logout. The
 * provider's metadata is discovered on first use and kept; a failed discovery is tried again next time.
 */
import { createPrivateKey, webcrypto } from 'node:crypto';
import * as client from 'openid-client';

export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  /** How the client authenticates at the token endpoint (made once, after discovery). */
  clientAuth: () => Promise<client.ClientAuth>;
  redirectUri: string;
  postLogoutRedirectUri: string;
  scope: string;
  /** More parameters for every authorisation request (GOV.UK One Login's `vtr`). */
  authorizationParameters?: Record<string, string>;
}

/** What a sign-in in progress keeps in the session until the provider sends the person back. */
export interface PendingAuthorization {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Set when re-authentication was asked for (max_age=0): the ID token's auth_time must be that fresh. */
  maxAge?: number;
}

/** Who the provider says signed in: the ID token's claims, with the email from userinfo when the token has none. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  /** The provider's email_verified claim, or undefined when it sends none (Microsoft Entra ID sends none). */
  emailVerified: boolean | undefined;
  idToken: string;
}

/**
 * Why the provider's answer was not accepted: the provider sent an error (the person cancelled, or it refused);
 * the answer failed a check (state, a code used before or issued to another client, the ID token's issuer, audience,
 * nonce or signature); or the provider could not be reached.
 */
export class OidcFailure extends Error {
  constructor(
    readonly kind: 'provider_error' | 'invalid_response' | 'unavailable',
    /** The provider's error code (access_denied...) or openid-client's check that failed: for the audit, not for people. */
    readonly detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'];

/** openid-client's errors as an OidcFailure; anything else (a fault of ours) is thrown on. */
function failureFrom(err: unknown): OidcFailure {
  if (err instanceof OidcFailure) return err;
  if (err instanceof client.AuthorizationResponseError) return new OidcFailure('provider_error', err.error);
  if (err instanceof client.ResponseBodyError) return new OidcFailure('invalid_response', err.error);
  if (err instanceof client.WWWAuthenticateChallengeError) return new OidcFailure('invalid_response', err.code);
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new OidcFailure('unavailable', err.name);
  }
  if (err instanceof TypeError && err.message === 'fetch failed') {
    const code = (err.cause as { code?: unknown } | undefined)?.code;
    return new OidcFailure('unavailable', typeof code === 'string' ? code : 'fetch failed');
  }
  if (err instanceof client.ClientError) {
    const code = err.code ?? 'client_error';
    // A provider that answers discovery or the token request with an error page is as good as unreachable.
    const cause = err.cause as { code?: unknown } | undefined;
    if (typeof cause?.code === 'string' && NETWORK_CODES.includes(cause.code)) {
      return new OidcFailure('unavailable', cause.code);
    }
    return new OidcFailure('invalid_response', code);
  }
  throw err;
}

/** A PKCS#8 PEM private key (RSA or EC P-256) as a WebCrypto key for signing client assertions (RS256 or ES256). */
export async function signingKeyFromPem(pem: string): Promise<webcrypto.CryptoKey> {
  const key = createPrivateKey(pem);
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const algorithm =
    key.asymmetricKeyType === 'ec'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
}

/**
 * private_key_jwt client authentication (RFC 7523) whose assertion names the token endpoint as its audience, as
 * GOV.UK One Login requires ("aud: the token endpoint"); other providers accept it too.
 */
export function privateKeyJwt(key: webcrypto.CryptoKey): client.ClientAuth {
  return (as, metadata, body, headers) =>
    client.PrivateKeyJwt(key, {
      [client.modifyAssertion]: (_header, payload) => {
        if (as.token_endpoint) payload.aud = as.token_endpoint;
      },
    })(as, metadata, body, headers);
}

export function oidcClient(settings: OidcClientSettings) {
  let configuration: Promise<client.Configuration> | undefined;
  const insecure = new URL(settings.issuer).protocol === 'http:'; // only a loopback provider outside production (config)

  function discovered(): Promise<client.Configuration> {
    if (!configuration) {
      const discovering = (async () =>
        client.discovery(new URL(settings.issuer), settings.clientId, undefined, await settings.clientAuth(), {
          execute: insecure ? [client.allowInsecureRequests] : [],
          timeout: 10,
        }))();
      configuration = discovering;
      discovering.catch(() => {
        if (configuration === discovering) configuration = undefined;
      });
    }
    return configuration.catch((err: unknown) => {
      throw failureFrom(err);
    });
  }

  /** The address to send the person to, and what to keep until they come back. */
  async function start(options: { reauthenticate?: boolean } = {}) {
    const config = await discovered();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const parameters: Record<string, string> = {
      redirect_uri: settings.redirectUri,
      scope: settings.scope,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...settings.authorizationParameters,
      // OpenID Connect Core 1.0 section 3.1.2.1: prompt=login asks the provider to authenticate the person again,
      // and max_age=0 makes the ID token say when it did (auth_time), which is checked.
      ...(options.reauthenticate ? { prompt: 'login', max_age: '0' } : {}),
    };
    const pending: PendingAuthorization = {
      state,
      nonce,
      codeVerifier,
      ...(options.reauthenticate ? { maxAge: 0 } : {}),
    };
    return { url: client.buildAuthorizationUrl(config, parameters).href, pending };
  }

  /** The provider's answer at the redirect URI (`query`: its query string), checked and exchanged for the ID token. */
  async function finish(query: string, pending: PendingAuthorization): Promise<ProviderIdentity> {
    const config = await discovered();
    const currentUrl = new URL(settings.redirectUri);
    currentUrl.search = query;
    try {
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
        ...(pending.maxAge !== undefined ? { maxAge: pending.maxAge } : {}),
      });
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new OidcFailure('invalid_response', 'no ID token');
      let email: unknown = claims.email;
      let verified: unknown = claims.email_verified;
      if (typeof email !== 'string') {
        // GOV.UK One Login (and any provider keeping to OpenID Connect Core section 5.4) gives the email at userinfo.
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        email = info.email;
        verified = info.email_verified;
      }
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof email === 'string' && email.includes('@') ? email.trim() : undefined,
        emailVerified: typeof verified === 'boolean' ? verified : undefined,
        idToken: tokens.id_token,
      };
    } catch (err) {
      throw failureFrom(err);
    }
  }

  /**
   * Where to send the person to end their session at the provider too (RP-initiated logout 1.0), or undefined when
   * the provider has no end_session_endpoint (or cannot be reached now).
   */
  async function endSessionUrl(idToken: string | undefined): Promise<string | undefined> {
    let config: client.Configuration;
    try {
      config = await discovered();
    } catch {
      return undefined;
    }
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(config, {
      post_logout_redirect_uri: settings.postLogoutRedirectUri,
      ...(idToken ? { id_token_hint: idToken } : { client_id: settings.clientId }),
    }).href;
  }

  /** The origin of the provider's end_session_endpoint once known: the sign-out form is allowed to lead there (CSP). */
  async function endSessionOrigin(): Promise<string | undefined> {
    try {
      const endpoint = (await discovered()).serverMetadata().end_session_endpoint;
      return endpoint ? new URL(endpoint).origin : undefined;
    } catch {
      return undefined;
    }
  }

  return { issuer: settings.issuer, start, finish, endSessionUrl, endSessionOrigin };
}

export type OidcClient = ReturnType<typeof oidcClient>;
