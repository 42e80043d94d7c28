# The Semarize server. Node 24 runs the server's TypeScript sources directly; only the SDK
# (@semarize/client, which the command line imports as a package) is compiled, in its own stage.
FROM node:24-slim AS sdk
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages/server/package.json packages/server/
COPY packages/client packages/client
# TypeScript is a devDependency; --ignore-scripts skips the `node` pin's download and `prepare`.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm run build -w @semarize/client

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages/server/package.json packages/server/
COPY packages/client/package.json packages/client/
# --ignore-scripts: no runtime dependency has an install script; `prepare` (the SDK build) ran in
# the sdk stage, whose output is copied below. The `node` devDependency only pins Node for
# development.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY packages ./packages
COPY --from=sdk /app/packages/client/dist packages/client/dist
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
ENTRYPOINT ["node", "--max-semi-space-size=8", "packages/server/src/cli/main.ts"]
CMD ["up"]
