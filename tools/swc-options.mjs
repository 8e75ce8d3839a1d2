// One SWC configuration for the build and for Jest, so that what the tests run is what ships.
// Path aliases mirror tsconfig.base.json; SWC rewrites them to relative `.js` imports.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const aliasPaths = {
  '@mt5/contracts': ['libs/contracts/src/index.ts'],
  '@mt5/domain/*': ['libs/domain/src/*/index.ts'],
  '@mt5/infra/*': ['libs/infra/src/*/index.ts'],
  '@mt5/testing': ['libs/testing/src/index.ts'],
};

export function swcOptions({ sourceMaps = true } = {}) {
  return {
    sourceMaps,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: workspaceRoot,
      paths: aliasPaths,
    },
    module: { type: 'es6', resolveFully: true },
  };
}
