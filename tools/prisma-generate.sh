#!/usr/bin/env bash
# Generates the Prisma client (prisma/schema.prisma -> libs/infra/src/prisma/generated) without
# network access. `prisma generate` with the `prisma-client` generator needs no native engine,
# but the CLI still resolves (and would download) the schema engine binary at start-up; pointing
# PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies that check. The generated client
# talks to Postgres through @prisma/adapter-pg and the bundled WASM query compiler.
set -euo pipefail
cd "$(dirname "$0")/.."

export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(command -v node)}"
export PRISMA_HIDE_UPDATE_MESSAGE=1
export CHECKPOINT_DISABLE=1
export PRISMA_DISABLE_WARNINGS=1

exec node node_modules/prisma/build/index.js generate --schema prisma/schema.prisma "$@"
