import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ESLint } from 'eslint';
// @ts-expect-error plain ESM tool without type declarations
import { findProblems, readProjects } from './check-project-tags.mjs';
// @ts-expect-error plain ESM config without type declarations
import { depConstraints } from '../eslint.config.js';

const root = path.resolve(import.meta.dirname, '..');
let eslint: ESLint;

async function lint(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

beforeAll(() => {
  // The boundary rule reads Nx's cached project graph; make sure it exists.
  execFileSync(process.execPath, [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], { cwd: root, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' } });
  eslint = new ESLint({ cwd: root });
}, 60_000);

describe('module boundaries', () => {
  it('refuses a domain library importing Nest', async () => {
    expect(await lint('libs/domain/src/risk/violation.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n"))
      .toEqual([expect.stringContaining('not allowed to import "@nestjs/common"')]);
  });

  it('refuses a domain library importing NATS, Prisma, Redis or OpenTelemetry', async () => {
    for (const pkg of ['@nats-io/jetstream', '@prisma/client', 'ioredis', '@opentelemetry/api']) {
      expect(await lint('libs/domain/src/market/violation.ts', `import * as x from '${pkg}';\nexport const y = x;\n`)).toHaveLength(1);
    }
  });

  it('refuses contracts importing anything but zod', async () => {
    expect(await lint('libs/contracts/src/violation.ts', "import pino from 'pino';\nexport const x = pino;\n")).toHaveLength(1);
    expect(await lint('libs/contracts/src/fine.ts', "import { z } from 'zod';\nexport const x = z.string();\n")).toEqual([]);
  });

  it('refuses infra importing the domain library', async () => {
    expect(await lint('libs/infra/src/nats/violation.ts', "import * as d from '@mt5/domain/market';\nexport const x = d;\n")).toHaveLength(1);
  });

  it('lets an app use contracts, domain and infra', async () => {
    expect(await lint('apps/risk-guard/src/fine.ts', "import { Subjects } from '@mt5/contracts';\nimport { loadConfig } from '@mt5/infra/config';\nexport const x = [Subjects, loadConfig];\n")).toEqual([]);
  });
});

describe('project tags check', () => {
  it('passes on the workspace as it is', () => {
    expect(findProblems(readProjects(), depConstraints)).toEqual([]);
  });

  it('fails when a project lacks its tags or a constraint uses a wildcard', () => {
    const problems = findProblems(
      [{ name: 'untagged', tags: [] }, { name: 'app', tags: ['type:app', 'scope:app'] }],
      [{ sourceTag: 'type:app', onlyDependOnLibsWithTags: ['*'] }, { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:app'] }],
    );
    expect(problems).toEqual([
      'project untagged has 0 type: tags (needs exactly 1)',
      'project untagged has 0 scope: tags (needs exactly 1)',
      'constraint for type:app uses a wildcard',
    ]);
  });
});
