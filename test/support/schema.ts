/**
 * Offline schema validation of rendered Kubernetes objects.
 *
 * - Built-in kinds: the model class from `kubernetes-models` (module path = apiVersion, export = kind).
 * - Custom kinds: ajv against the openAPIV3Schema of the served CRD version, read from the schemas
 *   `npm run import` writes into the repository (`imports/schemas/`, from the same pinned CRDs as
 *   `imports/*.ts`), so a clone with nothing beside it validates the same way. Like the API
 *   server's pruning, fields a structural schema doesn't declare are errors, unless
 *   x-kubernetes-preserve-unknown-fields allows them. CEL rules (x-kubernetes-validations) and
 *   `format` are not checked.
 *
 * Everything is resolved and compiled lazily, once per apiVersion/kind.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SCHEMA_DIR, type SchemaIndex } from '../../scripts/import-crds';
import { KEYCLOAK_CRD_GROUP, KEYCLOAK_CRD_SCHEMAS, KEYCLOAK_CRD_VERSION } from './keycloak-crd';

type Validator = (obj: Record<string, unknown>) => string[];
type JsonSchema = { [keyword: string]: unknown };

/** The committed schema folder `npm run import` writes (inside the repository). */
export function schemaDir(): string {
  return path.resolve(__dirname, '../..', SCHEMA_DIR);
}

/** Problems with one Kubernetes object; empty when it is valid. */
export function validateObject(obj: unknown): string[] {
  if (!isRecord(obj)) return ['not a YAML mapping'];
  const { apiVersion, kind, metadata } = obj;
  const errors: string[] = [];
  if (!isNonEmptyString(apiVersion)) errors.push('missing apiVersion');
  if (!isNonEmptyString(kind)) errors.push('missing kind');
  if (!isRecord(metadata) || !isNonEmptyString(metadata.name)) errors.push('missing metadata.name');
  if (!isNonEmptyString(apiVersion) || !isNonEmptyString(kind)) return errors;
  return [...errors, ...validatorFor(apiVersion, kind)(obj)];
}

/**
 * Validates every *.yaml under `dir` (each must hold exactly one document) and returns the files
 * with problems, paths relative to `dir`. Dotfiles (tool configuration such as `.sops.yaml`) are
 * not Kubernetes objects and are skipped. Throws if there is no *.yaml at all, so an empty render
 * can't pass vacuously.
 */
export function validateTree(dir: string): { file: string; errors: string[] }[] {
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml') && !path.basename(f).startsWith('.'))
    .sort();
  if (files.length === 0) throw new Error(`no *.yaml files under ${dir}`);
  return files
    .map((file) => ({ file, errors: validateFile(path.join(dir, file)) }))
    .filter((r) => r.errors.length > 0);
}

function validateFile(file: string): string[] {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const errors = docs.length === 1 ? [] : [`expected exactly one YAML document, found ${docs.length}`];
  docs.forEach((doc, i) => {
    const prefix = docs.length > 1 ? `document ${i + 1}: ` : '';
    const problems = doc.errors.length > 0 ? doc.errors.map((e) => e.message) : validateObject(doc.toJS());
    errors.push(...problems.map((p) => prefix + p));
  });
  return errors;
}

const validators = new Map<string, Validator>();

function validatorFor(apiVersion: string, kind: string): Validator {
  const key = `${apiVersion}/${kind}`;
  let validator = validators.get(key);
  if (!validator) {
    validator = builtinValidator(apiVersion, kind) ?? customValidator(apiVersion, kind);
    validators.set(key, validator);
  }
  return validator;
}

// --- built-in kinds: kubernetes-models -------------------------------------------------------

type ModelClass = (new (data: unknown) => { validate(): void }) & { apiVersion?: unknown; kind?: unknown };

let modulePaths: Set<string> | undefined;

/** kubernetes-models has one module per built-in group ("apps") and apiVersion ("apps/v1", "v1"). */
function hasModule(modulePath: string): boolean {
  modulePaths ??= new Set(
    Object.keys((require('kubernetes-models/package.json') as { exports: object }).exports)
      .filter((k) => !k.includes('*'))
      .map((k) => k.replace(/^\.\//, '')),
  );
  return modulePaths.has(modulePath);
}

/** Undefined when apiVersion belongs to no built-in group, so the caller looks for a CRD instead. */
function builtinValidator(apiVersion: string, kind: string): Validator | undefined {
  if (!hasModule(apiVersion)) {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : ''; // '' = core
    return group === '' || hasModule(group) ? fail(`unknown built-in apiVersion ${apiVersion}`) : undefined;
  }
  const exported = (require(`kubernetes-models/${apiVersion}`) as Record<string, unknown>)[kind];
  // Only top-level resources carry static apiVersion/kind; nested types (e.g. Container) don't.
  const model = exported as ModelClass | undefined;
  if (typeof model !== 'function' || model.apiVersion !== apiVersion || model.kind !== kind) {
    return fail(`unknown built-in kind ${kind} in ${apiVersion}`);
  }
  return (obj) => {
    try {
      new model(obj).validate();
      return [];
    } catch (e) {
      const ajvErrors = (e as { errors?: unknown }).errors;
      if (Array.isArray(ajvErrors)) return formatErrors(ajvErrors as ErrorObject[]);
      return [String(e instanceof Error ? e.message : e)];
    }
  };
}

// --- custom kinds: CRD schemas ----------------------------------------------------------------

interface CrdVersion {
  served: boolean;
  /** Reads the version's schema file; undefined when the CRD declares none. */
  schema?: () => JsonSchema;
}

/** group -> kind -> version, read once from imports/schemas/index.json; schemas load lazily. */
let crds: Map<string, Map<string, Map<string, CrdVersion>>> | undefined;

function loadCrds(): Map<string, Map<string, Map<string, CrdVersion>>> {
  if (crds) return crds;
  const dir = schemaDir();
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as SchemaIndex;
  crds = new Map();
  for (const source of index.sources) {
    for (const { group, kind, versions } of source.kinds) {
      const kinds = crds.get(group) ?? new Map<string, Map<string, CrdVersion>>();
      crds.set(group, kinds);
      kinds.set(kind, new Map(versions.map((v) => [v.name, {
        served: v.served,
        schema: v.schema === undefined ? undefined : () => JSON.parse(fs.readFileSync(path.join(dir, v.schema!), 'utf8')) as JsonSchema,
      }])));
    }
  }
  return crds;
}

/** CRD patterns are Go RE2, which allows inline flags like `^(?i)(abort|warn)?$`; JS wants real flags. */
const goRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => {
    let inline = '';
    const source = pattern.replace(/\(\?([ims]+)\)/g, (_, f: string) => {
      inline += f;
      return '';
    });
    return new RegExp(source, [...new Set(flags + inline)].join(''));
  },
  { code: 'goRegExp' },
);

let ajv: Ajv | undefined;

function getAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({
      allErrors: true,
      strict: false, // ignore the x-kubernetes-* extensions other than int-or-string (below)
      validateFormats: false,
      // optimize: false halves compile time of the big schemas (ApplicationSet: ~1.6 s -> ~0.8 s).
      code: { regExp: goRegExp, optimize: false },
    });
    ajv.addKeyword({
      keyword: 'x-kubernetes-int-or-string',
      schemaType: 'boolean',
      validate: (enabled: boolean, data: unknown) => !enabled || Number.isInteger(data) || typeof data === 'string',
    });
  }
  return ajv;
}

function customValidator(apiVersion: string, kind: string): Validator {
  const [group, version, ...rest] = apiVersion.split('/');
  if (!version || rest.length > 0) return fail(`malformed apiVersion ${apiVersion}`);
  if (group === KEYCLOAK_CRD_GROUP) return keycloakValidator(version, kind);
  const kinds = loadCrds().get(group);
  if (!kinds) return fail(`no CRD in ${SCHEMA_DIR} defines group ${group}`);
  const versions = kinds.get(kind);
  if (!versions) return fail(`no CRD defines kind ${kind} in group ${group} (known: ${[...kinds.keys()].join(', ')})`);
  const crdVersion = versions.get(version);
  if (!crdVersion?.served) {
    const served = [...versions].filter(([, v]) => v.served).map(([name]) => name);
    return fail(`${kind} has no served version ${version} (served: ${served.join(', ')})`);
  }
  if (!crdVersion.schema) return () => [];
  let validate: ValidateFunction;
  try {
    validate = getAjv().compile(structural(crdVersion.schema(), true));
  } catch (e) {
    return fail(`cannot compile the CRD schema of ${apiVersion} ${kind}: ${e instanceof Error ? e.message : e}`);
  }
  return (obj) => (validate(obj) ? [] : formatErrors(validate.errors ?? []));
}

/**
 * The Keycloak Operator's kinds: not in the pinned CRD directory (published only with the operator's
 * manifests), validated against the schemas written from its sources (support/keycloak-crd.ts).
 */
function keycloakValidator(version: string, kind: string): Validator {
  const schema = KEYCLOAK_CRD_SCHEMAS[kind];
  if (version !== KEYCLOAK_CRD_VERSION || !schema) return fail(`${KEYCLOAK_CRD_GROUP}/${version} ${kind} is not a kind of the pinned Keycloak Operator`);
  const validate = getAjv().compile(structuredClone(schema));
  return (obj) => (validate(obj) ? [] : formatErrors(validate.errors ?? []));
}

/**
 * Closes objects whose schema lists properties (additionalProperties: false), as the API server
 * prunes undeclared fields, except where x-kubernetes-preserve-unknown-fields keeps them.
 * Resources (the root and x-kubernetes-embedded-resource) implicitly have apiVersion, kind and a
 * free-form metadata. Junctors (anyOf, ...) are left alone: structural schemas repeat their fields
 * outside them.
 */
function structural(node: JsonSchema, isResource = false): JsonSchema {
  const properties = isRecord(node.properties) ? (node.properties as Record<string, JsonSchema>) : undefined;
  const resource = isResource || node['x-kubernetes-embedded-resource'] === true;
  if (resource && properties) {
    properties.apiVersion ??= { type: 'string' };
    properties.kind ??= { type: 'string' };
    properties.metadata ??= { type: 'object' };
    // Controllers write status, renders don't; its schema is big (Argo Application: 130 KB) and slow to compile.
    if (properties.status) properties.status = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
  if (properties) {
    for (const [name, child] of Object.entries(properties)) {
      if (!(resource && name === 'metadata')) structural(child);
    }
    if (node.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
      node.additionalProperties = false;
    }
  }
  if (isRecord(node.items)) structural(node.items as JsonSchema);
  if (isRecord(node.additionalProperties)) structural(node.additionalProperties as JsonSchema);
  return node;
}

// --- helpers ------------------------------------------------------------------------------------

function formatErrors(errors: ErrorObject[]): string[] {
  return [...new Set(errors.map((e) => {
    const where = e.instancePath || '/';
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties':
        return `${where}: unknown field ${String(params.additionalProperty)}`;
      case 'enum':
        return `${where}: ${e.message}: ${(params.allowedValues as unknown[]).join(', ')}`;
      default:
        return `${where}: ${e.message}`;
    }
  }))];
}

function fail(message: string): Validator {
  return () => [message];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
