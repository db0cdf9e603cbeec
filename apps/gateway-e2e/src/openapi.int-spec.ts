import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentDto, ListResultsReply, ModelVersionDto } from '@loglens/contracts';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { StackProcess, uniqueSchema, waitFor, workspaceRoot } from '@loglens/testing';

const VIEWER = 'viewer-key-e2e-openapi';
const OPERATOR = 'operator-key-e2e-openapi';
const ADMIN = 'admin-key-e2e-openapi';

type Method = 'get' | 'post' | 'put' | 'delete';
interface Operation {
  operationId?: string;
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: { schemas: Record<string, unknown> };
}
interface Reply {
  status: number;
  contentType: string;
  body: unknown;
}

/** POST/PUT operations that take no body: the path and the method say everything. */
const BODILESS = new Set([
  'post /api/v1/auth/tokens',
  'post /api/v1/models/{version}/load',
  'post /api/v1/models/{version}/unload',
  'post /model-management/{version}/validate',
  'post /model-management/{version}/archive',
]);

const model = (bias: number) =>
  Buffer.from(writeLogisticRegressionModel({ featureNames: ['f0', 'f1', 'f2'], mean: [0, 0, 0], scale: [1, 1, 1], weights: [0.1, 0.1, 0.1], bias }));

/**
 * /docs/openapi.json as a client generator reads it: valid OpenAPI 3, every operation's success and error bodies
 * declared, and each declared schema matching what the running stack really answers (npm start: NATS, Postgres,
 * registry, workers, agents, gateway).
 */
describe('the OpenAPI document against the running stack', () => {
  const stack = new StackProcess();
  const source = `oas${Date.now().toString(36)}`;
  let doc: OpenApiDoc;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();
  const checked: string[] = [];

  async function call(method: Method, route: string, key: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const json = body !== undefined && !(body instanceof FormData) && typeof body !== 'string';
    const res = await fetch(`${stack.url}${route}`, {
      method: method.toUpperCase(),
      headers: { ...(key ? { 'x-api-key': key } : {}), ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : json ? JSON.stringify(body) : (body as string | FormData),
    });
    const contentType = res.headers.get('content-type') ?? '';
    const text = await res.text();
    return { status: res.status, contentType, body: contentType.includes('json') ? JSON.parse(text) : text };
  }

  /** The schema the document declares for this operation and status, compiled against the document's components. */
  function declared(method: Method, template: string, status: number): ValidateFunction {
    const id = `${method} ${template} ${status}`;
    const cached = validators.get(id);
    if (cached) return cached;
    const op = doc.paths[template]?.[method];
    if (!op) throw new Error(`the document has no operation ${method.toUpperCase()} ${template}`);
    const schema = op.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method.toUpperCase()} ${template} declares no application/json schema for ${status}`);
    const validate = ajv.compile({ $ref: `openapi.json#/paths/${encodeURIComponent(pointer(template))}/${method}/responses/${status}/content/application~1json/schema` });
    validators.set(id, validate);
    return validate;
  }

  /** Calls the route and fails, naming the operation and the mismatching paths, when the reply is not as declared. */
  async function expectDeclared(method: Method, template: string, route: string, key: string | null, expectedStatus: number, body?: unknown, headers?: Record<string, string>): Promise<Reply> {
    const reply = await call(method, route, key, body, headers);
    const what = `${method.toUpperCase()} ${template} (${route})`;
    expect({ what, status: reply.status, body: reply.status === expectedStatus ? 'ok' : reply.body }).toEqual({ what, status: expectedStatus, body: 'ok' });
    expect({ what, contentType: reply.contentType }).toEqual({ what, contentType: expect.stringContaining('application/json') });
    const validate = declared(method, template, reply.status);
    const problems = validate(reply.body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    expect({ what, status: reply.status, problems }).toEqual({ what, status: reply.status, problems: [] });
    checked.push(`${method} ${template} ${reply.status}`);
    return reply;
  }

  beforeAll(async () => {
    // no default models: the agents still window and answer (scores null, as the schema allows), and the start is light
    await stack.start({
      ...process.env,
      DATABASE_SCHEMA: uniqueSchema('e2e_openapi'),
      API_KEYS: `viewer:${VIEWER},operator:${OPERATOR},admin:${ADMIN}`,
      AGENT_IDLE_FLUSH_MS: '1500',
      LOGLENS_SEED_MODELS: '0',
    });
    const res = await fetch(`${stack.url}/docs/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApiDoc;
    ajv.addSchema(doc as object, 'openapi.json');
    for (const bias of [0, 1]) {
      const form = new FormData();
      form.append('model', new Blob([new Uint8Array(model(bias))]), 'lr.onnx');
      await expectDeclared('post', '/model-management/models/{name}/versions', `/model-management/models/${'oas-lr'}/versions`, OPERATOR, 201, form);
    }
  }, 300_000);

  afterAll(async () => {
    await stack.interrupt();
  });

  it('validates against the OpenAPI 3 schema, every $ref resolving', async () => {
    expect(doc.openapi).toMatch(/^3\.0\./);
    // swagger-parser dereferences in place: give it a copy
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it('declares a response schema for every success and error answer, and a request body for every operation that reads one', () => {
    const operations = Object.entries(doc.paths).flatMap(([route, ops]) => Object.entries(ops).map(([method, op]) => ({ id: `${method} ${route}`, op: op as Operation })));
    expect(operations.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const { id, op } of operations) {
      const statuses = Object.keys(op.responses);
      if (!statuses.some((s) => s.startsWith('2'))) missing.push(`${id}: no 2xx response`);
      for (const status of statuses) {
        const content = op.responses[status].content ?? {};
        if (!Object.values(content).some((c) => c.schema)) missing.push(`${id} ${status}: no schema`);
      }
      if (!statuses.includes('401') && !id.includes('/health/') && id !== 'get /metrics') missing.push(`${id}: no 401`);
      if ((id.startsWith('post ') || id.startsWith('put ')) && !BODILESS.has(id) && !op.requestBody) missing.push(`${id}: no request body`);
    }
    expect(missing).toEqual([]);
    // every error answer carries the contracts' error body (the log inputs keep their own ingest error codes)
    const errorRefs = operations.flatMap(({ id, op }) =>
      Object.entries(op.responses)
        .filter(([s]) => /^[45]/.test(s) && !id.includes(' /v1/logs') && !id.includes(' /api/v1/logs'))
        .filter(([s]) => !(id.endsWith('/health/ready') && s === '503'))
        .map(([s, r]) => `${id} ${s} ${JSON.stringify(r.content?.['application/json']?.schema)}`),
    );
    expect(errorRefs.filter((r) => !r.endsWith('{"$ref":"#/components/schemas/ErrorBody"}'))).toEqual([]);
  });

  it('matches the real replies: models, versions, predict and explain, KServe v2, history, validation, health', async () => {
    await expectDeclared('post', '/model-management/{version}/deploy', '/model-management/oas-lr@1/deploy', OPERATOR, 200, { reason: 'openapi spec' });
    await expectDeclared('get', '/api/v1/models', '/api/v1/models', VIEWER, 200);
    await expectDeclared('get', '/api/v1/models/current', '/api/v1/models/current', VIEWER, 200);
    const detail = await expectDeclared('get', '/api/v1/models/{version}', '/api/v1/models/oas-lr@1', VIEWER, 200);
    expect(detail.body as ModelVersionDto).toMatchObject({ model: 'oas-lr', version: 1, status: 'serving' });
    await expectDeclared('post', '/api/v1/models/predict', '/api/v1/models/predict', VIEWER, 200, { model: 'oas-lr', rows: [[1, 2, 3], [0, 0, 0]] });
    await expectDeclared('post', '/api/v1/models/{version}/explain', '/api/v1/models/oas-lr@1/explain', VIEWER, 200, { rows: [[1, 2, 3]] });
    await expectDeclared('post', '/v2/models/{name}/infer', '/v2/models/oas-lr/infer', VIEWER, 200, { inputs: [{ name: 'features', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] });
    await expectDeclared('get', '/v2/models/{name}', '/v2/models/oas-lr', VIEWER, 200);
    await expectDeclared('get', '/v2/health/live', '/v2/health/live', null, 200);
    await expectDeclared('get', '/v2/health/ready', '/v2/health/ready', null, 200);
    await expectDeclared('get', '/model-management/{version}/validation', '/model-management/oas-lr@2/validation', VIEWER, 200);
    await expectDeclared('put', '/model-management/models/{name}/aliases/{alias}', '/model-management/models/oas-lr/aliases/staging', OPERATOR, 200, { version: '2' });
    await expectDeclared('post', '/model-management/rollback', '/model-management/rollback', OPERATOR, 200, { model: 'oas-lr', to: 'oas-lr@1', reason: 'spec' });
    await expectDeclared('get', '/model-management/history', '/model-management/history?model=oas-lr', VIEWER, 200);
    await expectDeclared('get', '/api/v1/auth/whoami', '/api/v1/auth/whoami', VIEWER, 200);
    await expectDeclared('get', '/api/v1/auth/keys', '/api/v1/auth/keys', ADMIN, 200);
    await expectDeclared('get', '/model-management/performance', '/model-management/performance', VIEWER, 200);
    await expectDeclared('get', '/health/live', '/health/live', null, 200);
    await expectDeclared('get', '/health/ready', '/health/ready', null, 200);
    await expectDeclared('get', '/health/ready', '/health/ready', VIEWER, 200);
  });

  it('matches the real replies of analysis: analyze, bulk log upload, stored results', async () => {
    const lines = readFileSync(path.join(workspaceRoot(), 'data/wifi/hostapd_linuxrotuer.log'), 'utf8');
    const analyzed = await expectDeclared('post', '/api/v1/models/analyze', '/api/v1/models/analyze?agent=wifi', VIEWER, 200, lines.split('\n').filter(Boolean).slice(0, 120));
    expect((analyzed.body as { windows: unknown[] }).windows.length).toBeGreaterThan(0);
    await expectDeclared('post', '/api/v1/logs', `/api/v1/logs?source=${source}&agent=wifi`, VIEWER, 202, lines, { 'content-type': 'text/plain' });
    await waitFor('stored window results of the uploaded lines', async () => {
      const r = await call('get', `/api/v1/analysis/results?source=${source}`, VIEWER);
      return (r.body as ListResultsReply).results?.length > 0 ? r : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    await expectDeclared('get', '/api/v1/analysis/results', `/api/v1/analysis/results?source=${source}`, VIEWER, 200);
  });

  it('matches the real replies of experiments and dead letters', async () => {
    const created = await expectDeclared('post', '/model-management/experiments', '/model-management/experiments', OPERATOR, 201, {
      model: 'oas-lr',
      kind: 'ab',
      candidates: [{ version: '2', weight: 50 }],
      stickiness: { key: 'header' },
      criteria: { maxErrorRate: 0.01, maxP99Ms: 500, minSamples: 100 },
    });
    const id = (created.body as ExperimentDto).id;
    await expectDeclared('get', '/model-management/experiments', '/model-management/experiments?model=oas-lr', VIEWER, 200);
    await expectDeclared('get', '/model-management/experiments/{id}', `/model-management/experiments/${id}`, VIEWER, 200);
    await expectDeclared('get', '/model-management/experiments/{id}/report', `/model-management/experiments/${id}/report`, VIEWER, 200);
    await expectDeclared('post', '/model-management/experiments/{id}/{action}', `/model-management/experiments/${id}/abort`, OPERATOR, 200, {});
    await expectDeclared('get', '/model-management/dead-letters', '/model-management/dead-letters', OPERATOR, 200);
  });

  it('matches the real error replies: 400, 401, 403, 404, 409, 422', async () => {
    await expectDeclared('post', '/api/v1/models/predict', '/api/v1/models/predict', VIEWER, 400, { model: 'oas-lr', rows: 'not rows' });
    await expectDeclared('get', '/api/v1/models', '/api/v1/models', null, 401);
    await expectDeclared('get', '/api/v1/models', '/api/v1/models', 'not-a-key', 401);
    await expectDeclared('post', '/model-management/{version}/deploy', '/model-management/oas-lr@2/deploy', VIEWER, 403, {});
    await expectDeclared('get', '/api/v1/models/{version}', '/api/v1/models/oas-lr@99', VIEWER, 404);
    await expectDeclared('post', '/model-management/{version}/deploy', '/model-management/oas-lr@2/deploy', OPERATOR, 409, { expectedCurrent: 'oas-lr@2' });
    const garbage = new FormData();
    garbage.append('model', new Blob([new Uint8Array(Buffer.from('not an onnx model'))]), 'bad.onnx');
    await expectDeclared('post', '/model-management/models/{name}/versions', '/model-management/models/oas-bad/versions', OPERATOR, 422, garbage);
  });

  it('checked a representative set of operations', () => {
    // the list the tests above went through: a guard against a refactor that silently skips them
    expect(new Set(checked.map((c) => c.split(' ').slice(0, 2).join(' '))).size).toBeGreaterThanOrEqual(29);
    expect(checked.filter((c) => /\s4\d\d$/.test(c)).map((c) => c.slice(-3)).sort()).toEqual(['400', '401', '401', '403', '404', '409', '422']);
    // and the check bites: a reply with a field the contract lacks, or without one it requires, is refused
    const listModels = declared('get', '/api/v1/models', 200);
    expect(listModels({ models: [], extra: true })).toBe(false);
    expect(listModels({})).toBe(false);
    expect(declared('get', '/api/v1/models', 401)({ code: 'NOT_A_CODE', message: 'x' })).toBe(false);
  });
});

/** A path template as a JSON pointer segment (RFC 6901). */
function pointer(template: string): string {
  return template.replace(/~/g, '~0').replace(/\//g, '~1');
}
