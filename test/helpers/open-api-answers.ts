import Ajv, { type ValidateFunction } from 'ajv';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Response } from 'supertest';
import type { TestApp } from './test-app';

type Schema = Record<string, unknown>;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

const COMPONENTS = '#/components/schemas/';
const DOCUMENT_ID = 'openapi';

/**
 * Checks real answers against the OpenAPI document the app serves. Its schemas are
 * OpenAPI 3.0 (`nullable`, `$ref` into components.schemas); they are turned into JSON Schema
 * for ajv, and every object refuses properties it does not declare (unless it says
 * `additionalProperties`), so an answer with a field the document never mentions fails as
 * surely as one that lacks a required field.
 */
export class OpenApiAnswers {
  private readonly ajv = new Ajv({ allErrors: true, strict: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenAPIObject) {
    // An OpenAPI annotation that JSON Schema does not know; it constrains nothing.
    this.ajv.addKeyword('example');
    const schemas = Object.fromEntries(
      Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => [
        name,
        toJsonSchema(schema as Schema),
      ]),
    );
    this.ajv.addSchema({ $id: DOCUMENT_ID, definitions: schemas });
  }

  /** The document the app serves at /docs-json. */
  static async of(t: TestApp): Promise<OpenApiAnswers> {
    const res = await t.http().get('/docs-json').expect(200);
    return new OpenApiAnswers(res.body as OpenAPIObject);
  }

  /**
   * What is wrong with `res` as an answer of `METHOD path` (the path as the document writes
   * it, `/sms/messages/{sid}`): an undocumented status or media type, or a body its schema
   * refuses. Empty when the answer is as documented.
   */
  problems(method: Method, path: string, res: Response): string[] {
    const route = `${method.toUpperCase()} ${path}`;
    const operation = this.document.paths[path]?.[method];
    if (!operation) return [`${route} is not in the document`];
    const response = operation.responses[String(res.status)] as
      { content?: Record<string, { schema?: Schema }> } | undefined;
    if (!response) return [`${route} answered ${res.status}, which the document does not list`];
    const schema = response.content?.[res.type]?.schema;
    if (!schema) return [`${route} documents no ${res.type} schema for ${res.status}`];
    const validate = this.validator(`${route} ${res.status} ${res.type}`, schema);
    if (validate(res.body)) return [];
    return (validate.errors ?? []).map(
      (error) => `${route} ${res.status}: ${error.instancePath || '(body)'} ${error.message}`,
    );
  }

  private validator(key: string, schema: Schema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema));
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** OpenAPI 3.0 schema → JSON Schema (draft-07), with closed objects. */
function toJsonSchema(schema: Schema): Schema {
  const { nullable, ...rest } = schema;
  const converted: Schema = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === '$ref') {
      converted.$ref = `${DOCUMENT_ID}#/definitions/${(value as string).slice(COMPONENTS.length)}`;
    } else if (key === 'properties') {
      converted.properties = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, property]) => [
          name,
          toJsonSchema(property),
        ]),
      );
    } else if (
      ['items', 'not'].includes(key) ||
      (key === 'additionalProperties' && isSchema(value))
    ) {
      converted[key] = toJsonSchema(value as Schema);
    } else if (['allOf', 'anyOf', 'oneOf'].includes(key)) {
      converted[key] = (value as Schema[]).map(toJsonSchema);
    } else {
      converted[key] = value;
    }
  }
  if (converted.type === 'object' && converted.properties && !('additionalProperties' in rest)) {
    converted.additionalProperties = false;
  }
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null;
}
