# OpenEHCP's production image: the service on PostgreSQL (DATABASE_URL), run as a non-root user.
# Build: docker build -t openehcp .   Run with PostgreSQL: compose.yaml beside this file (README, "Run it with Docker").
# Two stages: the build stage has the dev tools (TypeScript) and compiles dist/; the runtime stage installs only the
# runtime dependencies (npm ci --omit=dev) beside that dist/, so the image holds no compiler, test tool or source map
# it does not need.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: the prepare script builds, and the sources are not here yet; the build is the next step.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Then the files the service reads from src/ at run time (views, migrations, public files, SEN2 schemas), without the
# TypeScript they were compiled from.
RUN npm run build \
  && mkdir /assets \
  && tar -C src --exclude='*.ts' -cf - . | tar -C /assets -xf -

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000 \
  DATA_DIR=/data/pglite \
  NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts/prepare.mjs ./scripts/
COPY --from=build /app/dist ./dist
# The prepare script finds dist/ built and no TypeScript: a production install. /data is for the embedded database
# only (trying the image with NODE_ENV=development); production uses PostgreSQL.
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force \
  && mkdir -p /data \
  && chown node:node /data
COPY bin ./bin
COPY --from=build /assets ./src
COPY scripts/smoke-signin.mjs ./scripts/

# The node image's unprivileged user (uid 1000). The application's files stay root's: the service cannot change them.
USER node
EXPOSE 3000
# /health answers while the process runs (/ready also asks the database).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The service handles SIGTERM itself: it stops taking requests, finishes those in progress and closes the database.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/openehcp.js"]
CMD ["serve"]
