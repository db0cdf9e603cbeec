import { request } from 'node:http';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { StackProcess, uniqueSchema, waitFor } from '@loglens/testing';

const VIEWER = 'viewer-key-binary-1';
const OPERATOR = 'operator-key-binary-1';
const ROWS = 256;
const FEATURES = 32;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain node:http POST (no LogLens client), as tritonclient or curl would send it. */
function post(port: number, path: string, body: Buffer, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'x-api-key': VIEWER, 'content-length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A binary data extension body: the JSON header, then the parts; its header length. */
function binaryBody(header: unknown, ...parts: Buffer[]): { body: Buffer; headers: Record<string, string> } {
  const json = Buffer.from(JSON.stringify(header));
  return { body: Buffer.concat([json, ...parts]), headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(json.length) } };
}

/** The JSON header and the bytes after it of a binary reply. */
function splitReply(r: Raw): { header: { outputs: Array<{ name: string; datatype: string; shape: number[]; data?: number[]; parameters?: { binary_data_size: number } }> }; rest: Buffer } {
  const n = Number(r.headers['inference-header-content-length']);
  return { header: JSON.parse(r.body.subarray(0, n).toString('utf8')), rest: r.body.subarray(n) };
}

describe('KServe v2 binary tensors through the gateway (binary data extension)', () => {
  const stack = new StackProcess();
  // values a float32 holds exactly, so the JSON form and the bytes carry the same numbers
  const values = Array.from({ length: ROWS * FEATURES }, (_, i) => ((i * 7) % 33) / 8 - 2);
  const bytes = Buffer.from(new Float32Array(values).buffer);
  const input = { name: 'features', datatype: 'FP32', shape: [ROWS, FEATURES] };
  let jsonScores: number[];

  beforeAll(async () => {
    await stack.start({ ...process.env, DATABASE_SCHEMA: uniqueSchema('e2e_binary'), API_KEYS: `viewer:${VIEWER},operator:${OPERATOR}`, LOGLENS_SEED_MODELS: '0' });
    const model = writeLogisticRegressionModel({
      featureNames: Array.from({ length: FEATURES }, (_, i) => `f${i}`),
      mean: new Array<number>(FEATURES).fill(0),
      scale: new Array<number>(FEATURES).fill(1),
      weights: Array.from({ length: FEATURES }, (_, i) => ((i % 5) - 2) / 10),
      bias: 0.1,
    });
    const form = new FormData();
    form.append('model', new Blob([new Uint8Array(model)]), 'wide.onnx');
    const up = await fetch(`${stack.url}/model-management/models/wide/versions`, { method: 'POST', headers: { 'x-api-key': OPERATOR }, body: form });
    expect(up.status).toBe(201);
    const deployed = await fetch(`${stack.url}/model-management/wide@1/deploy`, {
      method: 'POST',
      headers: { 'x-api-key': OPERATOR, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'binary tensors' }),
    });
    expect(deployed.status).toBe(200);
    const json = Buffer.from(JSON.stringify({ inputs: [{ ...input, data: values }] }));
    const reply = await waitFor('the worker serves wide@1', async () => {
      const r = await post(stack.port, '/v2/models/wide/infer', json, { 'content-type': 'application/json' });
      return r.status === 200 ? (JSON.parse(r.body.toString()) as { outputs: Array<{ name: string; data: number[] }> }) : undefined;
    }, { timeoutMs: 60_000 });
    jsonScores = reply.outputs.find((o) => o.name === 'score')!.data;
    expect(jsonScores).toHaveLength(ROWS);
  });

  afterAll(async () => {
    await stack.interrupt();
  });

  it('answers binary inputs with the same outputs as the JSON form, as JSON', async () => {
    const { body, headers } = binaryBody({ inputs: [{ ...input, parameters: { binary_data_size: bytes.length } }] }, bytes);
    const r = await post(stack.port, '/v2/models/wide/infer', body, headers);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    const reply = JSON.parse(r.body.toString()) as { model_name: string; model_version: string; outputs: Array<{ name: string; datatype: string; shape: number[]; data: number[] }> };
    expect(reply).toMatchObject({ model_name: 'wide', model_version: '1', outputs: [{ name: 'score', datatype: 'FP32', shape: [ROWS, 1] }] });
    expect(reply.outputs[0].data).toEqual(jsonScores);
  });

  it('answers a large predict (its rows go to the worker as a tensor frame) exactly as small ones (JSON) and as infer', async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => values.slice(i * FEATURES, (i + 1) * FEATURES));
    const predict = async (part: number[][]) => {
      const r = await post(stack.port, '/api/v1/models/predict', Buffer.from(JSON.stringify({ model: 'wide', rows: part })), { 'content-type': 'application/json' });
      expect(r.status).toBe(200);
      expect(r.headers['x-loglens-model-version']).toBe('wide@1');
      return JSON.parse(r.body.toString()) as { modelVersion: string; scores: number[]; outputs: Record<string, { dims: number[]; data: number[] }> };
    };
    const whole = await predict(rows);
    expect(Object.keys(whole)).toEqual(['modelVersion', 'scores', 'isAnomaly', 'threshold', 'outputs', 'timings', 'worker']);
    expect(whole.scores).toEqual(jsonScores);
    expect(whole.outputs['score']).toEqual({ dims: [ROWS, 1], data: jsonScores });
    // 2 rows × 32 = 64 numbers: below the frame's threshold, sent as JSON
    const small = await predict(rows.slice(0, 2));
    expect(small.scores).toEqual(jsonScores.slice(0, 2));
  });

  it('returns outputs asked with binary_data as bytes after the JSON header (pinned version too)', async () => {
    const { body, headers } = binaryBody({ inputs: [{ ...input, parameters: { binary_data_size: bytes.length } }], outputs: [{ name: 'score', parameters: { binary_data: true } }] }, bytes);
    const r = await post(stack.port, '/v2/models/wide/versions/1/infer', body, headers);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    const { header, rest } = splitReply(r);
    expect(header.outputs).toEqual([{ name: 'score', datatype: 'FP32', shape: [ROWS, 1], parameters: { binary_data_size: ROWS * 4 } }]);
    expect(rest.length).toBe(ROWS * 4);
    expect(Array.from(new Float32Array(rest.buffer.slice(rest.byteOffset, rest.byteOffset + rest.length)))).toEqual(jsonScores);
  });

  it('returns binary outputs to a JSON request that sets binary_data_output', async () => {
    const json = Buffer.from(JSON.stringify({ inputs: [{ ...input, data: values }], parameters: { binary_data_output: true } }));
    const r = await post(stack.port, '/v2/models/wide/infer', json, { 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    const { header, rest } = splitReply(r);
    expect(header.outputs[0].parameters).toEqual({ binary_data_size: ROWS * 4 });
    expect(Array.from(new Float32Array(rest.buffer.slice(rest.byteOffset, rest.byteOffset + rest.length)))).toEqual(jsonScores);
  });

  it.each([
    ['a size that does not match the shape', { inputs: [{ ...input, parameters: { binary_data_size: bytes.length - 4 } }] }, bytes, /shape \[256,32\] of FP32 is 8192 × 4 = 32768 bytes, but binary_data_size is 32764/],
    ['more bytes than declared', { inputs: [{ ...input, parameters: { binary_data_size: bytes.length } }] }, Buffer.concat([bytes, Buffer.alloc(4)]), /declare 32768 bytes \("features" 32768\), but the body holds 32772 bytes/],
    ['fewer bytes than declared', { inputs: [{ ...input, parameters: { binary_data_size: bytes.length } }] }, bytes.subarray(8), /but the body holds 32760 bytes/],
    ['a datatype the model does not take', { inputs: [{ ...input, datatype: 'FP64', parameters: { binary_data_size: bytes.length * 2 } }] }, Buffer.concat([bytes, bytes]), /the model takes FP32, got datatype "FP64"/],
    ['an unknown input', { inputs: [{ ...input, name: 'nope', parameters: { binary_data_size: bytes.length } }] }, bytes, /unknown input "nope"/],
    ['JSON and binary inputs mixed', { inputs: [{ ...input, parameters: { binary_data_size: bytes.length } }, { name: 'other', datatype: 'FP32', shape: [1], data: [1] }] }, bytes, /input "other" carries JSON data while others are binary/],
    ['data and binary_data_size both', { inputs: [{ ...input, data: [1], parameters: { binary_data_size: bytes.length } }] }, bytes, /give either data or parameters.binary_data_size, not both/],
    ['a binary flag that is not a boolean', { inputs: [{ ...input, parameters: { binary_data_size: bytes.length } }], parameters: { binary_data_output: 'yes' } }, bytes, /parameters.binary_data_output must be a boolean/],
    ['explain with binary inputs', { inputs: [{ ...input, parameters: { binary_data_size: bytes.length } }], parameters: { explain: true } }, bytes, /explain needs the inputs as JSON data/],
  ])('refuses %s with a 400 naming it', async (_what, header, data, message) => {
    const { body, headers } = binaryBody(header, data);
    const r = await post(stack.port, '/v2/models/wide/infer', body, headers);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body.toString())).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(message) });
  });

  it('refuses a bad Inference-Header-Content-Length, a header that is not JSON and binary_data_size without the extension header', async () => {
    const { body } = binaryBody({ inputs: [{ ...input, parameters: { binary_data_size: bytes.length } }] }, bytes);
    const tooLong = await post(stack.port, '/v2/models/wide/infer', body, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(body.length + 1) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.toString()).toMatch(/Inference-Header-Content-Length is \d+, but the body has only \d+ bytes/);
    const notNumber = await post(stack.port, '/v2/models/wide/infer', body, { 'content-type': 'application/octet-stream', 'inference-header-content-length': 'ten' });
    expect(notNumber.status).toBe(400);
    expect(notNumber.body.toString()).toMatch(/Inference-Header-Content-Length must be a non-negative integer, got \\"ten\\"/);
    const cut = await post(stack.port, '/v2/models/wide/infer', body, { 'content-type': 'application/octet-stream', 'inference-header-content-length': '10' });
    expect(cut.status).toBe(400);
    expect(cut.body.toString()).toMatch(/inference header .* is not valid JSON/);
    const noExtension = await post(stack.port, '/v2/models/wide/infer', Buffer.from(JSON.stringify({ inputs: [{ ...input, parameters: { binary_data_size: bytes.length } }] })), {
      'content-type': 'application/json',
    });
    expect(noExtension.status).toBe(400);
    expect(noExtension.body.toString()).toMatch(/has parameters.binary_data_size, but the request has no inference-header-content-length header/);
  });
});
