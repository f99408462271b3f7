#!/usr/bin/env node
// Signs in to a running service as a demo caseworker, as a person would: GET /sign-in for the session cookie and the
// form's CSRF token, POST the form, follow the redirect to the caseload (a page that needs sign-in). Checks /health
// first, and that the caseload without the session sends to sign-in. Used by CI against a production install and
// the Docker image. Usage: node scripts/smoke-signin.mjs http://127.0.0.1:3212 [email] [password]
// Exit code 0 when signed in, 1 with one line saying which step failed.
const [base = 'http://127.0.0.1:3000', email = 'caseworker@demo-county.example', password = 'demo-county-2026'] =
  process.argv.slice(2);

function fail(step, detail) {
  console.error(`smoke: ${step} failed: ${detail}`);
  process.exit(1);
}

async function request(path, init = {}) {
  try {
    return await fetch(new URL(path, base), { redirect: 'manual', signal: AbortSignal.timeout(30_000), ...init });
  } catch (err) {
    return fail(`${init.method ?? 'GET'} ${path}`, err instanceof Error ? err.message : String(err));
  }
}

/** The `name=value` part of the session cookie a response sets (the service's cookie is openehcp.sid). */
function sessionCookie(response) {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('openehcp.sid='));
  return cookie?.split(';')[0];
}

const health = await request('/health');
if (health.status !== 200) fail('GET /health', `status ${health.status}`);

const anonymous = await request('/cases');
const toSignIn = anonymous.headers.get('location') ?? '';
if (anonymous.status < 300 || anonymous.status > 399 || !toSignIn.startsWith('/sign-in'))
  fail('GET /cases signed out', `status ${anonymous.status}, location "${toSignIn}" (expected a redirect to /sign-in)`);

const form = await request('/sign-in');
const formHtml = await form.text();
if (form.status !== 200) fail('GET /sign-in', `status ${form.status}`);
const csrf = /name="_csrf" value="([^"]+)"/.exec(formHtml)?.[1];
if (!csrf) fail('GET /sign-in', 'no CSRF token in the form');
const formCookie = sessionCookie(form);
if (!formCookie) fail('GET /sign-in', 'no session cookie (behind plain HTTP, is COOKIE_SECURE true?)');

const signIn = await request('/sign-in', {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookie },
  body: new URLSearchParams({ _csrf: csrf, returnTo: '/cases', email, password }),
});
const next = signIn.headers.get('location');
if (signIn.status !== 303 || next !== '/cases')
  fail('POST /sign-in', `status ${signIn.status}, location "${next}" (expected 303 to /cases)`);
const signedIn = sessionCookie(signIn);
if (!signedIn || signedIn === formCookie) fail('POST /sign-in', 'no new session id after sign-in');

const caseload = await request(next, { headers: { cookie: signedIn } });
const caseloadHtml = await caseload.text();
if (caseload.status !== 200 || !caseloadHtml.includes('<h1 class="govuk-heading-l">Caseload</h1>'))
  fail(`GET ${next} signed in`, `status ${caseload.status}, without the Caseload heading`);

console.log(`smoke: signed in to ${base} as ${email} and saw the caseload`);
