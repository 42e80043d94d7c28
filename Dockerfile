# The Semarize server. Node 24 runs the TypeScript sources directly, so there is no build step.
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages/server/package.json packages/server/
COPY packages/client/package.json packages/client/
# --ignore-scripts: no runtime dependency has an install script; `prepare` (the SDK build)
# is not needed, since the server imports the SDK's sources, and could not run here anyway (no
# sources yet, no TypeScript). The `node` devDependency only pins Node for development.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY packages ./packages
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
