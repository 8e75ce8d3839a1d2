#!/usr/bin/env node
// Compiles every TypeScript source under apps/, libs/ and tools/ into dist/ with SWC
// (decorator metadata on, aliases rewritten). Type checking is `npm run typecheck`.
import { transformFile } from '@swc/core';
import fs from 'node:fs/promises';
import path from 'node:path';
import { swcOptions, workspaceRoot } from './swc-options.mjs';

const roots = ['apps', 'libs', 'tools'];
const outDir = path.join(workspaceRoot, 'dist');

async function* walk(dir) {
  for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      yield* walk(full);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name)) {
      yield full;
    }
  }
}

const started = performance.now();
const files = [];
for (const root of roots) for await (const file of walk(path.join(workspaceRoot, root))) files.push(file);
const options = swcOptions();
let count = 0;
await Promise.all(
  files.map(async (file) => {
    const relative = path.relative(workspaceRoot, file);
    const target = path.join(outDir, relative.replace(/\.ts$/, '.js'));
    const { code, map } = await transformFile(file, { ...options, filename: file, sourceFileName: path.relative(path.dirname(target), file) });
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, map ? `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n` : code);
    if (map) await fs.writeFile(`${target}.map`, map);
    count++;
  }),
);
// Non-TypeScript assets that services read at run time (instrument catalogues, templates).
for (const root of roots) {
  for await (const asset of walkAssets(path.join(workspaceRoot, root))) {
    const target = path.join(outDir, path.relative(workspaceRoot, asset));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.copyFile(asset, target);
  }
}
async function* walkAssets(dir) {
  for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      yield* walkAssets(full);
    } else if (/\.(json|html|css|mq5|sql)$/.test(entry.name) && full.includes(`${path.sep}src${path.sep}`)) {
      yield full;
    }
  }
}
await fs.writeFile(path.join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
console.log(`built ${count} files into dist/ in ${Math.round(performance.now() - started)} ms`);
