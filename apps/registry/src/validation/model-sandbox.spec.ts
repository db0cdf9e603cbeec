import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_ONNX_LIMITS, declaredShapeModel, emptyNodesModel, nestedGraphsModel, writeLogisticRegressionModel } from '@loglens/onnx-format';
import { workspaceRoot } from '@loglens/testing';
import type { ModelLimits } from './model-limits.env';
import { ModelSandbox } from './model-sandbox';

const logistic = writeLogisticRegressionModel({ featureNames: ['a', 'b'], mean: [0, 0], scale: [1, 1], weights: [1, 1], bias: 0 });
const dir = mkdtempSync(path.join(tmpdir(), 'loglens-sandbox-spec-'));
const limits = (sandbox: Partial<ModelLimits['sandbox']> = {}, onnx = DEFAULT_ONNX_LIMITS): ModelLimits => ({
  onnx,
  sandbox: { memoryMb: 256, timeoutMs: 20_000, ...sandbox },
});

/** A stand-in child: a script that misbehaves the way a hostile model would make the real one misbehave. */
function script(name: string, body: string): string {
  const file = path.join(dir, `${name}.js`);
  writeFileSync(file, body);
  return file;
}

const checksOf = (r: { checks: Array<{ check: string; outcome: string }> }) => Object.fromEntries(r.checks.map((c) => [c.check, c.outcome]));
const messageOf = (r: { checks: Array<{ check: string; message: string }> }, check: string) => r.checks.find((c) => c.check === check)?.message;

describe('ModelSandbox', () => {
  let realChild: string;

  beforeAll(() => {
    // the child as the registry's build bundles it (inside the workspace, so its npm packages resolve)
    realChild = path.join(workspaceRoot(), 'dist/spec/registry', `model-sandbox-child-${process.pid}.js`);
    const entry = path.join(__dirname, 'model-sandbox-child.ts');
    execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(path.join(workspaceRoot(), 'tools/build/esbuild-node.mjs'))}); await m.bundleNode({ entry: ${JSON.stringify(entry)}, outfile: ${JSON.stringify(realChild)} });`], { cwd: workspaceRoot() });
  });

  afterAll(() => rmSync(realChild, { force: true }));

  it('decodes, checks and test-runs a well-formed model in the child', async () => {
    const r = await new ModelSandbox(limits(), realChild).examine({ bytes: logistic, metadata: {}, scaler: null, ref: 'toy@upload' });
    expect(checksOf(r)).toMatchObject({ limits: 'pass', protobuf: 'pass', outputs: 'pass', sandbox: 'pass' });
    expect(messageOf(r, 'sandbox')).toMatch(/zero row scored in the sandbox/);
    expect(r.facts).toMatchObject({ inputName: 'features', scoreOutput: 'score', width: 2 });
  });

  it('refuses 4M empty nodes, 10,000 nested graphs and a 10^12-element input before any child runs', async () => {
    const never = new ModelSandbox(limits(), script('never-started', 'process.exit(9)'));
    for (const [bytes, why] of [
      [emptyNodesModel(4_000_000), /more than 100,000 nodes/],
      [nestedGraphsModel(10_000), /nested more than 8 deep/],
      [declaredShapeModel([1_000_000, 1_000_000]), /1,000,000,000,000 elements/],
    ] as const) {
      const r = await never.examine({ bytes, metadata: {}, scaler: null, ref: 'x@upload' });
      expect(r.facts).toBeNull();
      expect(r.checks).toEqual([{ check: 'limits', outcome: 'fail', message: expect.stringMatching(why) }]);
    }
  });

  it('stops a child that runs past the time limit and fails the model with that reason', async () => {
    const r = await new ModelSandbox(limits({ timeoutMs: 1000 }), script('hang', 'setInterval(() => undefined, 1000);')).examine({ bytes: logistic, metadata: {}, scaler: null, ref: 'x@upload' });
    expect(r.facts).toBeNull();
    expect(r.checks[1]).toEqual({ check: 'sandbox', outcome: 'fail', message: expect.stringMatching(/did not finish within 1 s \(MODEL_SANDBOX_TIMEOUT_MS\).*while decoding the model: it is refused/) });
  });

  it('stops a child whose memory outside the V8 heap grows past the limit (as onnxruntime’s would)', async () => {
    const grow = script('grow', "const keep = []; setInterval(() => { for (let i = 0; i < 4; i++) keep.push(Buffer.alloc(16 * 2 ** 20, 1)); }, 5);");
    const r = await new ModelSandbox(limits({ memoryMb: 128 }), grow).examine({ bytes: logistic, metadata: {}, scaler: null, ref: 'x@upload' });
    expect(r.checks[1]).toEqual({ check: 'sandbox', outcome: 'fail', message: expect.stringMatching(/over its 128 MiB memory limit \(MODEL_SANDBOX_MEMORY_MB; \d+ MiB resident when stopped\)/) });
  });

  it('fails a model whose child dies on the V8 heap cap', async () => {
    const heap = script('heap', "const keep = []; for (;;) keep.push({ a: new Array(1000).fill(Math.random()) });");
    const r = await new ModelSandbox(limits({ memoryMb: 128 }), heap).examine({ bytes: logistic, metadata: {}, scaler: null, ref: 'x@upload' });
    expect(r.checks[1]).toMatchObject({ check: 'sandbox', outcome: 'fail', message: expect.stringMatching(/memory limit/) });
  });

  it('fails a model whose child crashes, naming the exit', async () => {
    const r = await new ModelSandbox(limits(), script('crash', "console.error('boom: unreadable'); process.exit(3);")).examine({ bytes: logistic, metadata: {}, scaler: null, ref: 'x@upload' });
    expect(messageOf(r, 'sandbox')).toMatch(/exited \(code 3\): boom: unreadable while decoding the model: it is refused/);
  });

  it('keeps the static facts but fails the version when the real test inference blows the memory limit', async () => {
    // limits opened wide so the file gets to onnxruntime: a fixed batch of 2^29 rows of one value (2 GiB of input)
    const wide = { ...DEFAULT_ONNX_LIMITS, maxTensorElements: 2 ** 40 };
    const r = await new ModelSandbox(limits({ memoryMb: 256 }, wide), realChild).examine({ bytes: declaredShapeModel([536_870_912, 1]), metadata: {}, scaler: null, ref: 'big@upload' });
    expect(r.facts).not.toBeNull();
    expect(checksOf(r)).toMatchObject({ protobuf: 'pass', sandbox: 'fail' });
    expect(messageOf(r, 'sandbox')).toMatch(/over its 256 MiB memory limit .* during the test inference: the version is not deployable/);
  });

  it('fails closed when the child script is missing', async () => {
    const r = await new ModelSandbox(limits(), path.join(dir, 'nope.js')).examine({ bytes: logistic, metadata: {}, scaler: null, ref: 'x@upload' });
    expect(r.checks[1]).toMatchObject({ check: 'sandbox', outcome: 'fail', message: expect.stringMatching(/missing \(build the registry\)/) });
  });
});
