// Requests built from the generated OpenAPI document: every operation, its path filled with known ids,
// and a body that satisfies its schema (so an authorisation check is reached, not a validation error).
// Used by the security suite (authorisation and CSRF matrices, schema-driven fuzz).

/** A JSON schema as the OpenAPI document gives it (the parts the generator reads). */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
}

export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. /api/series/{id}/sessions. */
  path: string;
  operationId: string;
  /** Public operations (`security: []`) may answer anyone. */
  isPublic: boolean;
  isWrite: boolean;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  body?: Schema;
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        security?: unknown[];
        parameters?: { in: string; name: string; schema: Schema }[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
}

/** Every operation of the document, writes that delete last (so earlier cases find their objects). */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [m, o] of Object.entries(ops)) {
      const method = m.toUpperCase();
      const params = o.parameters ?? [];
      out.push({
        method,
        path,
        operationId: o.operationId,
        isPublic: Array.isArray(o.security) && o.security.length === 0,
        isWrite: method !== 'GET',
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
        body: o.requestBody?.content?.['application/json']?.schema,
      });
    }
  return out.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
}

/** Fills `{param}`s: ids by the resource the path names before them, an unknown id otherwise. */
export function fillOperationPath(path: string, ids: Record<string, string>): string {
  return path.replace(/\/([^/]+)\/\{(\w+)\}/g, (_, resource: string, name: string) => {
    const value = ids[`${resource}.${name}`] ?? ids[name] ?? '00000000-0000-7000-8000-000000000000';
    return `/${resource}/${encodeURIComponent(value)}`;
  });
}

let n = 0;
const future = (days: number) => new Date(Date.now() + days * 86400_000).toISOString();

/** A value that satisfies the schema, with readable guesses for names (e-mail, dates, zones, slugs). */
export function sample(s: Schema | undefined, name = ''): unknown {
  if (!s) return undefined;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum.find((v) => v !== '') ?? s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(alt.find((a) => a.type !== 'null' && !a.enum) ?? alt[0], name);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {}))
        if (s.required?.includes(k) || v.default === undefined) out[k] = sample(v, k);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 0) }, () => sample(s.items, name));
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 1, 1));
    case 'boolean':
      return false;
    case 'string':
      return sampleString(s, name);
    default:
      return s.default ?? 'x';
  }
}

function sampleString(s: Schema, name: string): string {
  const lower = name.toLowerCase();
  let v = 'sample';
  if (s.format === 'email' || lower.includes('email')) v = `probe${n++}@example.org`;
  else if (/^ends?at$/.test(lower)) v = future(31).replace(/\.\d+Z$/, 'Z');
  else if (s.format === 'date-time' || /at$/.test(lower) || s.pattern?.includes('T\\d{2}'))
    v = future(30).replace(/\.\d+Z$/, 'Z');
  else if (s.format === 'date' || lower.includes('date') || lower === 'asof') v = '2026-03-01';
  else if (lower.includes('timezone') || lower === 'zone') v = 'Europe/Paris';
  else if (s.format === 'uri' || lower.includes('url')) v = 'https://example.org/x';
  else if (lower === 'language' || lower === 'lang' || s.pattern?.startsWith('^[a-z]{2')) v = 'en';
  else if (lower === 'slug' || s.pattern?.includes('a-z0-9')) v = `probe-${Date.now().toString(36)}-${n++}`;
  else if (lower === 'password') v = 'a long enough password';
  else if (lower === 'content') v = Buffer.from('id,text\n1,hello\n').toString('base64');
  else if (lower === 'csv') v = 'Name,Email\nA,a@example.org\n';
  if (s.minLength && v.length < s.minLength) v = v.padEnd(s.minLength, 'x');
  if (s.maxLength && v.length > s.maxLength) v = v.slice(0, s.maxLength);
  return v;
}

/** Hostile variants of a body for the fuzz: wrong types, huge and odd strings, missing fields. */
export function fuzzBodies(s: Schema | undefined): unknown[] {
  const valid = sample(s);
  const out: unknown[] = [{}, [], 'text', 42, null];
  if (valid && typeof valid === 'object' && !Array.isArray(valid)) {
    const props = Object.keys(valid);
    const huge = 'ﷺ'.repeat(200_000);
    const odd = '\u0000\u202e<script>\ud800 \u{1F600}'.repeat(50);
    for (const p of props) {
      for (const bad of [123, true, [], { nested: { deep: 1 } }, huge, odd, -1e308, '9999-99-99'])
        out.push({ ...valid, [p]: bad });
      const missing: Record<string, unknown> = { ...(valid as Record<string, unknown>) };
      delete missing[p];
      out.push(missing);
    }
  }
  return out;
}
