/**
 * The web application: createApp(services) composes middleware and feature routes. It never touches the database.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { csrfSync } from 'csrf-sync';
import express, { type Express } from 'express';
import compression from 'compression';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config.js';
import { logSerializers } from '../logger.js';
import type { Services } from '../services/index.js';
import { adminRoutes } from './features/admin/routes.js';
import { linkChildRoutes } from './features/link-child/routes.js';
import { familyRoutes } from './features/family/routes.js';
import { STAFF_IMPORT_MAX_BYTES } from '../domain/access/staff.js';
import { bankHolidayRoutes } from './features/admin/bankHolidays.js';
import { caseloadRoutes } from './features/caseload/routes.js';
import { reviewRoutes } from './features/reviews/routes.js';
import { disagreementRoutes } from './features/disagreements/routes.js';
import { phaseTransferRoutes } from './features/phase-transfers/routes.js';
import { ceasingRoutes } from './features/ceasing/routes.js';
import { reassessmentRoutes } from './features/reassessments/routes.js';
import { moveRoutes } from './features/moves/routes.js';
import { caseworkRoutes, uploadParser } from './features/casework/routes.js';
import { familyPlanRoutes } from './features/family-plan/routes.js';
import { adviceRoutes } from './features/advice/routes.js';
import { consultationRoutes } from './features/consultations/routes.js';
import { MAX_SEN2_BYTES, sen2Routes } from './features/sen2/routes.js';
import { messageRoutes } from './features/messages/routes.js';
import { measureRoutes } from './features/measures/routes.js';
import { planRoutes } from './features/plan/routes.js';
import { forecastRoutes } from './features/forecast/routes.js';
import { qualityRoutes } from './features/quality/routes.js';
import { healthRoutes } from './features/health/routes.js';
import { homeRoutes } from './features/home/routes.js';
import { infoRoutes } from './features/info/routes.js';
import { signInRoutes } from './features/signin/routes.js';
import { authRoutes } from './features/auth/routes.js';
import { accountRoutes } from './features/account/routes.js';
import { loadUser, requireRecentAuthentication } from './middleware/auth.js';
import { acceptControlCharacters, refuseControlCharacters } from './middleware/input.js';
import { errorPages, notFound } from './middleware/errors.js';
import { cspNonce, permissionsPolicy, securityHeaders } from './middleware/security.js';
import { sessionMiddleware } from './middleware/session.js';
import { compressResponses } from './middleware/compressResponses.js';
import { accountLimit, expensiveLimits } from './middleware/expensive.js';
import { configureNunjucks, GOVUK_FRONTEND_ROOT, MOJ_FRONTEND_ROOT, WEB_ROOT } from './nunjucks.js';
import './types.js';

export interface AppOptions {
  services: Services;
  config: Pick<
    Config,
    'env' | 'sessionSecret' | 'sessionIdleMinutes' | 'sessionMaxHours' | 'cookieSecure' | 'trustProxy'
  > &
    Partial<Pick<Config, 'localSignIn'>>;
  logger: Logger;
  /** Shows the demo banner and sign-in hint. */
  demoMode?: boolean;
}

export interface App extends Express {
  /** Set during graceful shutdown so /ready tells the load balancer to stop sending traffic. */
  lifecycle: { shuttingDown: boolean };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function createApp({ services, config, logger, demoMode = false }: AppOptions): App {
  const app = express() as unknown as App;
  app.lifecycle = { shuttingDown: false };
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // Pages are personal and never cached (Cache-Control: no-store), so hashing every page body for an ETag is wasted;
  // static files keep theirs.
  app.set('etag', false);
  configureNunjucks(app, { watch: false });
  app.locals.demoMode = demoMode;
  // Which ways of signing in the sign-in page offers (config: STAFF_OIDC_*, ONE_LOGIN_*, LOCAL_SIGN_IN).
  const localSignIn = config.localSignIn ?? true;
  app.locals.signInOptions = {
    staffOidc: services.identity.staffOidcConfigured,
    oneLogin: services.identity.oneLoginConfigured,
    localSignIn,
  };

  const govuk = path.join(GOVUK_FRONTEND_ROOT, 'dist', 'govuk');
  const staticOptions = { index: false, maxAge: config.env === 'production' ? '1d' : 0, fallthrough: true };
  // Stylesheets and scripts (282 KB on every first visit) are compressed with the middleware's defaults, brotli
  // quality 4 and gzip level 6: browsers keep them for a day, so each is compressed rarely and smaller pays.
  app.use('/assets', compression());
  app.use('/assets', express.static(path.join(govuk, 'assets'), staticOptions));
  const fileOptions = { maxAge: staticOptions.maxAge };
  app.get('/assets/govuk-frontend.min.css', (_req, res) =>
    res.sendFile(path.join(govuk, 'govuk-frontend.min.css'), fileOptions),
  );
  app.get('/assets/govuk-frontend.min.js', (_req, res) =>
    res.sendFile(path.join(govuk, 'govuk-frontend.min.js'), fileOptions),
  );
  app.use('/assets/moj', express.static(path.join(MOJ_FRONTEND_ROOT, 'moj'), { ...staticOptions, extensions: [] }));
  app.use('/assets', express.static(path.join(WEB_ROOT, 'public'), staticOptions));
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/assets/images/openehcp.svg'));

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/health' || (req.url ?? '').startsWith('/assets/') },
      // The shared serializers: no query values, bodies or query parameters of a failed statement in any log line.
      serializers: logSerializers,
    }),
  );
  // Everything outside /assets is compressed at the fastest settings (compressResponses says why).
  app.use(compressResponses);
  app.use(cspNonce);
  // Signing out of a session from an identity provider goes on to the provider's sign-out page (features/auth).
  app.use(securityHeaders(services.identity.providerOrigins));
  app.use(permissionsPolicy);
  app.use(healthRoutes(services, app.lifecycle));

  // A pasted improvement plan may be long: its form alone takes up to 1 MB (the check reads the first 200,000
  // characters and says so), and it is read as pasted, control characters and all, as it stores nothing. Every other
  // form is limited to 100 KB, and refuses control characters (middleware/input.ts).
  app.post(
    '/improvement-plan/check',
    express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 10 }),
    acceptControlCharacters,
  );
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }));
  app.use(
    sessionMiddleware(services.sessions, {
      secret: config.sessionSecret,
      idleMinutes: config.sessionIdleMinutes,
      secure: config.cookieSecure,
    }),
  );
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : undefined;
    },
  });
  app.use((req, res, next) => {
    // A function, called by the forms that need the token, so visitors who never see a form get no session. (Not a
    // getter: rendering copies every local, which would run it on every page.)
    res.locals.csrfToken = () => generateToken(req);
    next();
  });
  // The expensive routes are limited per person before anything is read (middleware/expensive.ts). Uploads are read
  // (for signed-in users only) before the CSRF check, which needs the form's fields.
  const limit = expensiveLimits(services.requestLimits);
  // Identity providers' sign-in and callbacks, one-time links and the account pages, by the address they come from.
  app.use(['/auth', '/account'], accountLimit(services.requestLimits));
  app.post('/cases/:requestId/advice/:adviceId/received', limit('upload'), uploadParser());
  app.post('/my-child/:requestId/documents', limit('upload'), uploadParser());
  app.post('/advice/:adviceId/check', limit('upload'), uploadParser());
  app.post('/sen2/check', limit('sen2'), uploadParser('checkFile', MAX_SEN2_BYTES));
  app.post('/sen2/import', limit('sen2'), uploadParser('importFile', MAX_SEN2_BYTES));
  app.post('/admin/users/import', uploadParser('staffFile', STAFF_IMPORT_MAX_BYTES));
  app.post('/forecast/scenarios', limit('forecast'));
  app.use(csrfSynchronisedProtection);
  app.use(loadUser(services, config.sessionMaxHours));
  app.use(refuseControlCharacters);

  // A recent proof of identity (15 minutes) before any change under /admin/users/ (who may do what). (The SEN2
  // return's download asks for one too: features/sen2/routes.ts.)
  app.post('/admin/users/*splat', requireRecentAuthentication());

  app.use(homeRoutes(services));
  app.use(authRoutes(services, { localSignIn }));
  app.use(signInRoutes(services));
  app.use(accountRoutes(services));
  app.use(caseloadRoutes(services));
  app.use(caseworkRoutes(services));
  app.use(reviewRoutes(services));
  app.use(disagreementRoutes(services));
  app.use(phaseTransferRoutes(services));
  app.use(ceasingRoutes(services));
  app.use(reassessmentRoutes(services));
  app.use(moveRoutes(services));
  app.use(adviceRoutes(services));
  app.use(consultationRoutes(services));
  app.use(messageRoutes(services));
  app.use(measureRoutes(services));
  app.use(planRoutes(services));
  app.use(forecastRoutes(services));
  app.use(qualityRoutes(services));
  app.use(sen2Routes(services));
  app.use(adminRoutes(services));
  app.use(linkChildRoutes(services));
  app.use(familyRoutes(services));
  app.use(familyPlanRoutes(services));
  app.use(bankHolidayRoutes(services));
  app.use(infoRoutes());

  app.use(notFound);
  app.use(errorPages);
  return app;
}
