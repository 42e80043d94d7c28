# The Semarize server. A build stage compiles the server (packages/server/dist: the sources'
# JavaScript, so no thread of the server loads Node's type stripper; docs/decisions.md, "The server
# runs compiled") and the SDK the command line imports as a package; the image runs the build.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages/server/package.json packages/server/
COPY packages/client/package.json packages/client/
# TypeScript is a devDependency; --ignore-scripts skips the `node` pin's download and `prepare`.
# Installed before the sources are copied, so an edit does not reinstall.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY packages/server packages/server
COPY packages/client packages/client
RUN npm run build -w @semarize/client && npm run build -w @semarize/server

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages/server/package.json packages/server/
COPY packages/client/package.json packages/client/
# --ignore-scripts: no runtime dependency has an install script; `prepare` (the builds) ran in the
# build stage, whose output is copied below. The `node` devDependency only pins Node for
# development.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY packages ./packages
COPY --from=build /app/packages/client/dist packages/client/dist
COPY --from=build /app/packages/server/dist packages/server/dist
COPY kits ./kits
# The embedded store: owned by the unprivileged user the server runs as, and a volume, so `up`
# can create its database and the data outlives the container. Both before VOLUME: changes to a
# volume's path after it is declared are discarded.
RUN install -d -o node -g node -m 700 /data
VOLUME /data
ENV HOST=0.0.0.0 PORT=8787 SEMARIZE_DATA_DIR=/data
EXPOSE 8787
USER node
# --max-semi-space-size=8: a smaller young generation; see docs/decisions.md.
ENTRYPOINT ["node", "--max-semi-space-size=8", "packages/server/dist/cli/main.js"]
CMD ["up"]
