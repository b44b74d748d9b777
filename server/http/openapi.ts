/**
 * The OpenAPI 3.1 document, generated from the contract's zod schemas (JSON Schema 2020-12, which
 * OpenAPI 3.1 uses as is), with one operation per route of the route table that carries `api`
 * (server/http/route-table.ts). Served at `/v1/openapi.json`; `npm run openapi` writes it to
 * docs/openapi.json.
 */
import { z } from 'zod';
import {
  BookingId,
  Email,
  Instant,
  LocalDate,
  PROBLEM_TYPE_BASE,
  Slug,
  type ProblemCode,
} from '../../src/api/contract.js';
import { ALL_PROBLEM_CODES } from '../../src/api/account-contract.js';
import { VERSION } from '../../src/core/version.js';
import { PROBLEMS } from './problem.js';
import { ROUTE_LIST, SCHEMAS, allowedMethods, type ApiDoc, type SchemaName } from './route-table.js';

type JsonSchema = Record<string, unknown>;

const FORMATS = new Map<unknown, string>([
  [LocalDate, 'date'],
  [Instant, 'date-time'],
  [Email, 'email'],
  [BookingId, 'uuid'],
]);

function schema(s: z.core.$ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, {
    io: 'input',
    unrepresentable: 'any',
    // Integer, bounds and enumeration values come from the metadata the contract's `num()` and
    // `oneOf()` register in z.globalRegistry (read by toJSONSchema itself). Formats checked with
    // zod's own patterns are said here.
    override: ({ zodSchema, jsonSchema }) => {
      const format = FORMATS.get(zodSchema);
      if (format) jsonSchema.format = format;
    },
  }) as JsonSchema;
  return rest;
}

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
/** A Hono path as an OpenAPI path: `:slug` becomes `{slug}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/** Every operation can answer these. */
const COMMON_PROBLEMS: ProblemCode[] = ['not_found', 'internal_error'];

function problems(codes: readonly ProblemCode[]) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) {
    const status = PROBLEMS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: list.map((c) => `\`${c}\`: ${PROBLEMS[c].title}`).join('; '),
        ...(status === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {}),
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    ]),
  );
}

function pathParameters(path: string) {
  const known: Record<string, JsonSchema> = {
    slug: { name: 'slug', in: 'path', required: true, description: 'The business', schema: schema(Slug) },
    id: { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
    token: {
      name: 'token',
      in: 'path',
      required: true,
      description: 'A single-use download token',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
    },
  };
  return [...path.matchAll(/:([A-Za-z]+)/g)].map(([, name]) => {
    const param = known[name!];
    if (!param) throw new Error(`No OpenAPI description for path parameter :${name}`);
    return param;
  });
}

function queryParameters(query: ApiDoc['query']) {
  if (!query) return [];
  const s = schema(query) as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(s.properties).map(([name, p]) => ({
    name,
    in: 'query',
    required: s.required?.includes(name) ?? false,
    schema: p,
  }));
}

function operation(path: string, api: ApiDoc) {
  const { response } = api;
  return {
    operationId: api.operationId,
    summary: api.summary,
    ...(api.description ? { description: api.description } : {}),
    parameters: [
      ...pathParameters(path),
      ...queryParameters(api.query),
      ...(api.headers ?? []).map((h) => ({
        name: h.name,
        in: 'header',
        required: h.required,
        schema: schema(h.schema),
      })),
    ],
    // Public operations say so explicitly; the others name their scheme.
    security: api.auth ? [{ [api.auth]: [] }] : [],
    ...(api.body
      ? {
          requestBody: {
            required: api.body.required,
            content: { 'application/json': { schema: ref(api.body.schema) } },
          },
        }
      : {}),
    responses: {
      [String(response.status)]: {
        description: response.description,
        ...(response.headers
          ? { headers: Object.fromEntries(response.headers.map((h) => [h, { schema: { type: 'string' } }])) }
          : {}),
        ...(response.schema ? { content: { 'application/json': { schema: ref(response.schema) } } } : {}),
      },
      ...problems([...COMMON_PROBLEMS, ...api.problems]),
    },
  };
}

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const allow = allowedMethods();
  const documented = ROUTE_LIST.filter((r) => r.api);
  for (const r of documented) {
    const key = openApiPath(r.path);
    paths[key] = { ...paths[key], [r.method.toLowerCase()]: operation(r.path, r.api!) };
  }
  const SCHEMES = {
    manageToken: {
      type: 'http',
      scheme: 'bearer',
      description: 'The manage token returned once when the booking was created',
    },
    session: {
      type: 'http',
      scheme: 'bearer',
      description:
        "A customer's session token (from signing in), held by the account frame and sent only to its own origin",
    },
    adminCookie: {
      type: 'apiKey',
      in: 'cookie',
      name: '__Host-cita_admin',
      description: 'The staff console session: HttpOnly, Secure, SameSite=Strict; same-origin requests only',
    },
  } as const;
  const usedSchemes = Object.entries(SCHEMES).filter(([name]) =>
    documented.some((r) => r.api!.auth === name),
  );

  return {
    openapi: '3.1.0',
    info: {
      title: 'Cita booking API',
      version: VERSION,
      license: { name: 'MIT', identifier: 'MIT' },
      description: [
        'The contract between the Cita widget and a backend (v1). Errors are RFC 9457 problem details',
        `whose \`type\` is \`${PROBLEM_TYPE_BASE}<code>\`, one of: ${ALL_PROBLEM_CODES.map((c) => `\`${c}\``).join(', ')}.`,
        'Cross-origin use is limited to the origins each business allows (CORS, exact match).',
        `A method a path does not list is answered 405 \`method_not_allowed\` with an \`Allow\` header`,
        `(${documented
          .map((r) => r.path)
          .filter((p, i, all) => all.indexOf(p) === i)
          .map((p) => `\`${openApiPath(p)}\`: ${allow.get(p)}`)
          .join('; ')}).`,
      ].join(' '),
    },
    servers: [{ url: '/', description: 'The server this document is served from' }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(SCHEMAS).map(([name, s]) => [name, schema(s)])),
      ...(usedSchemes.length ? { securitySchemes: Object.fromEntries(usedSchemes) } : {}),
    },
  };
}
