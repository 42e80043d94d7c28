# The Semarize server. Node 24 runs the TypeScript sources directly, so there is no build step.
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages/server/package.json packages/server/
COPY packages/client/package.json packages/client/
# The `node` devDependency only pins Node for development; the image brings its own.
RUN npm ci --omit=dev --no-audit --no-fund
COPY packages ./packages
COPY kits ./kits
ENV HOST=0.0.0.0 PORT=8787 SEMARIZE_DATA_DIR=/data
EXPOSE 8787
USER node
# --max-semi-space-size=8: a smaller young generation; see docs/decisions.md.
ENTRYPOINT ["node", "--max-semi-space-size=8", "packages/server/src/cli/main.ts"]
CMD ["up"]
