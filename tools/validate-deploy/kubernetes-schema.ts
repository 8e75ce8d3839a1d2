import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object, as `kubectl kustomize` prints it. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** Renders an overlay with the kustomize built into kubectl (offline; no cluster needed). */
export function renderKustomization(directory: string): K8sObject[] {
  const output = execFileSync(process.env.KUBECTL ?? 'kubectl', ['kustomize', directory], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(output).map((document) => {
    if (document.errors.length > 0) throw new Error(`${directory}: ${document.errors.map((e) => e.message).join('; ')}`);
    return document.toJS() as K8sObject;
  }).filter(Boolean);
}

export const objectId = (object: Pick<K8sObject, 'kind' | 'metadata'>) => `${object.kind}/${object.metadata?.name}`;

/** `apps/v1` → `kubernetes-models/apps/v1/Deployment`; core `v1` → `kubernetes-models/v1/Service`. */
const modelModule = (object: Pick<K8sObject, 'apiVersion' | 'kind'>) => `kubernetes-models/${object.apiVersion}/${object.kind}`;

interface ModelClass { new (data: unknown): { validate(): void } }

/**
 * Validates each object against the Kubernetes OpenAPI schema through kubernetes-models (types,
 * required fields, formats, enums). A kind the package does not know fails, unless its
 * `apiVersion/kind` is in `allowedUnknownKinds` (for CRDs someone decided to ship unvalidated).
 */
export async function schemaProblems(objects: readonly K8sObject[], allowedUnknownKinds: readonly string[] = []): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    const id = `${object.apiVersion}/${object.kind}`;
    let Model: ModelClass | undefined;
    try {
      Model = ((await import(modelModule(object))) as Record<string, ModelClass>)[object.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      if (!allowedUnknownKinds.includes(id)) problems.push(`${objectId(object)}: no schema for ${id} (not a built-in Kubernetes kind)`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${objectId(object)}: ${(error as Error).message}`);
    }
  }
  return problems.concat(unknownFieldProblems(objects));
}

let checkerCache: { checker: ts.TypeChecker; types: Map<string, ts.Type>; requested: Set<string> } | undefined;

/**
 * The OpenAPI validators accept fields they do not know (a misspelt `readinesProbe` passes), so
 * unknown fields are found separately: each object is walked along the TypeScript interfaces
 * kubernetes-models generates from the same OpenAPI document, and a key the interface lacks is
 * reported. Maps (labels, resources, data) have index signatures and are not checked.
 */
export function unknownFieldProblems(objects: readonly K8sObject[]): string[] {
  const kinds = [...new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`))];
  const { checker, types } = typeChecker(kinds);
  const problems: string[] = [];
  for (const object of objects) {
    const type = types.get(`${object.apiVersion}/${object.kind}`);
    if (type) walk(checker, object, type, '', (at) => problems.push(`${objectId(object)}: unknown field ${at}`));
  }
  return problems;
}

function typeChecker(kinds: readonly string[]): { checker: ts.TypeChecker; types: Map<string, ts.Type> } {
  if (checkerCache && kinds.every((k) => checkerCache!.requested.has(k))) return checkerCache;
  const requested = new Set([...kinds, ...(checkerCache?.requested ?? [])]);
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('kubernetes-models/package.json'));
  const known = [...requested].filter((kind) => existsSync(path.join(packageDir, `${kind}.d.ts`)));
  const entry = path.join(packageDir, '__validate_deploy_entry.ts');
  const source = known.map((kind, i) => `import type { I${kind.split('/').pop()} as T${i} } from './${kind}.js';`).join('\n')
    + `\nexport interface Kinds {\n${known.map((kind, i) => `  '${kind}': T${i};`).join('\n')}\n}\n`;
  const options: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (file, language, ...rest) => (file === entry ? ts.createSourceFile(file, source, language) : getSourceFile.call(host, file, language, ...rest));
  host.fileExists = (file) => file === entry || fileExists.call(host, file);
  const program = ts.createProgram([entry], options, host);
  const checker = program.getTypeChecker();
  const declaration = program.getSourceFile(entry)!.statements.find(ts.isInterfaceDeclaration)!;
  const kindsType = checker.getTypeAtLocation(declaration.name);
  const types = new Map(known.map((kind) => [kind, checker.getTypeOfSymbol(kindsType.getProperty(kind)!)]));
  checkerCache = { checker, types, requested };
  return checkerCache;
}

function walk(checker: ts.TypeChecker, value: unknown, declared: ts.Type, at: string, report: (at: string) => void): void {
  let type = checker.getNonNullableType(declared);
  if (type.isUnion()) {
    // IntOrString and literal unions carry no fields; a union of one object type with null does.
    const objects = type.types.filter((t) => t.flags & ts.TypeFlags.Object);
    if (objects.length !== 1) return;
    type = objects[0]!;
  }
  if (Array.isArray(value)) {
    const element = checker.isArrayType(type) ? checker.getTypeArguments(type as ts.TypeReference)[0] : undefined;
    if (element) value.forEach((item, i) => walk(checker, item, element, `${at}[${i}]`, report));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (checker.getIndexInfosOfType(type).length > 0 || type.getProperties().length === 0) return;
  for (const [key, child] of Object.entries(value)) {
    const property = type.getProperty(key);
    if (!property) report(`${at}.${key}`);
    else walk(checker, child, checker.getTypeOfSymbol(property), `${at}.${key}`, report);
  }
}
