# syntax=docker/dockerfile:1
#
# One image for every Herald service. The first argument picks what runs:
#   docker run herald api            (or router, dispatcher, scheduler, projector)
#   docker run herald all            all-in-one; HERALD_SERVICES=api,router,... narrows it
#   docker run herald migrate        run database migrations, then exit
#   docker run herald create-topics  create Herald's Kafka topics, then exit
#
# Build: docker build -t herald .

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: full dependency tree, compile TypeScript with swc, bundle the console -------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are skipped: the build only needs swc, whose native binary comes as a
# platform-specific optional dependency with no script. node-rdkafka and koffi (test-only
# dev dependencies) would otherwise compile librdkafka for minutes.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY .swcrc tsconfig.json ./
COPY apps ./apps
COPY libs ./libs
# The receiver SDK's generated types and the console are built from the catalogue and the
# front-end sources; the bench is left out (build:herald is everything the image ships).
COPY sdk ./sdk
COPY console ./console
RUN npm run build:herald

# ---- deps: production dependencies only ------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No production dependency needs its install script to work (protobufjs' only checks versions,
# and the analytics one is unwanted), so they are skipped here too. Herald's own postinstall is
# skipped with them, so the patches it applies (patches/: kafkajs's idle timer loop) are applied here,
# by the patch-package the lockfile installed.
COPY patches ./patches
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npx --no-install patch-package --error-on-fail \
 && npm cache clean --force

# ---- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1 forwards SIGTERM to node and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 herald \
 && useradd --system --uid 10001 --gid herald --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin herald

ENV NODE_ENV=production \
    HERALD_MODE=production \
    HERALD_HTTP_PORT=3000 \
    SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false

WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY --chmod=0755 deploy/docker/entrypoint.sh /usr/local/bin/herald

# Files stay owned by root and read-only to the service user; nothing is written outside /tmp,
# so the container runs with a read-only root filesystem.
USER 10001:10001
EXPOSE 3000

LABEL org.opencontainers.image.title="herald" \
      org.opencontainers.image.description="Webhook delivery engine on Kafka" \
      org.opencontainers.image.licenses="Apache-2.0"

ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/herald"]
CMD ["all"]
