#!/usr/bin/env node
// Fails when any Nx project lacks exactly one `type:` and one `scope:` tag, when a boundary
// constraint uses a wildcard, or when a tag used by a project has no constraint of its own.
import fs from 'node:fs';
import path from 'node:path';
import { depConstraints } from '../eslint.config.js';
import { workspaceRoot } from './swc-options.mjs';

export function findProblems(projects, constraints) {
  const problems = [];
  for (const { name, tags } of projects) {
    for (const dimension of ['type', 'scope']) {
      const count = tags.filter((tag) => tag.startsWith(`${dimension}:`)).length;
      if (count !== 1) problems.push(`project ${name} has ${count} ${dimension}: tags (needs exactly 1)`);
    }
  }
  for (const constraint of constraints) {
    const tags = [constraint.sourceTag, ...(constraint.onlyDependOnLibsWithTags ?? [])];
    if (tags.some((tag) => tag.includes('*'))) problems.push(`constraint for ${constraint.sourceTag} uses a wildcard`);
  }
  const constrained = new Set(constraints.map((c) => c.sourceTag));
  for (const { name, tags } of projects) {
    for (const tag of tags) if (!constrained.has(tag)) problems.push(`tag ${tag} of ${name} has no constraint`);
  }
  return problems;
}

export function readProjects(root = workspaceRoot) {
  const projects = [];
  for (const group of ['apps', 'libs']) {
    for (const dir of fs.readdirSync(path.join(root, group))) {
      const file = path.join(root, group, dir, 'project.json');
      if (!fs.existsSync(file)) continue;
      const project = JSON.parse(fs.readFileSync(file, 'utf8'));
      projects.push({ name: project.name, tags: project.tags ?? [] });
    }
  }
  return projects;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const projects = readProjects();
  const problems = findProblems(projects, depConstraints);
  if (problems.length) {
    console.error(problems.map((p) => `✗ ${p}`).join('\n'));
    process.exit(1);
  }
  console.log(`project tags ok: ${projects.length} projects, ${depConstraints.length} constraints, no wildcard`);
}
