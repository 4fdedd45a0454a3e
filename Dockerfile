# The image every Vigil service in docker-compose.yml runs: the hub (api, worker, migrations) and the plugin.
#   docker build -t vigil .        docker run --rm vigil --help
# Build stage: npm ci installs everything and compiles to dist/ (`prepare` runs `npm run build`), then the
# devDependencies (TypeScript, tsx, eslint) are pruned so the runtime image carries only what production loads.
FROM node:20-bookworm-slim AS build
WORKDIR /opt/vigil
# package.json's allowScripts needs npm 11 (node:20 ships npm 10).
RUN npm install -g npm@11 --no-audit --no-fund
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf .git test bench scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    VIGIL_FROM_SOURCE=0 \
    VIGIL_DATA_DIR=/var/lib/vigil \
    VIGIL_HOST=0.0.0.0
RUN groupadd --system vigil \
 && useradd --system --gid vigil --home-dir /var/lib/vigil --no-create-home vigil \
 && mkdir -p /var/lib/vigil /var/lib/vigil-plugin \
 && chown vigil:vigil /var/lib/vigil /var/lib/vigil-plugin
WORKDIR /opt/vigil
COPY --from=build --chown=root:root /opt/vigil /opt/vigil
USER vigil
EXPOSE 8080
ENTRYPOINT ["node", "/opt/vigil/bin/vigil.mjs"]
CMD ["hub"]
