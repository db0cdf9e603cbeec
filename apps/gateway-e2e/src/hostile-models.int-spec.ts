import { readFileSync } from 'node:fs';
import type { ModelVersionDto, ValidationCheckDto, ValidationReportDto } from '@loglens/contracts';
import { declaredShapeModel, emptyNodesModel, nestedGraphsModel, writeLogisticRegressionModel } from '@loglens/onnx-format';
import { StackProcess, uniqueSchema } from '@loglens/testing';

const OPERATOR = 'operator-key-hostile-1';

interface UploadReply {
  version?: ModelVersionDto;
  validation?: ValidationReportDto | null;
  code?: string;
  message?: string;
  details?: string[];
  checks?: ValidationCheckDto[];
}

/** Resident set of a process, MiB (what the kernel charges it: V8 heap and native allocations alike). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

/** A valid logistic model of `width` features: 3 × width float32 initializers (12 bytes a feature). */
function logisticOf(width: number, bias: number): Buffer {
  const names = Array.from({ length: width }, (_, i) => `f${i}`);
  const ones = Array<number>(width).fill(1);
  return Buffer.from(writeLogisticRegressionModel({ featureNames: names, mean: Array<number>(width).fill(0), scale: ones, weights: ones.map((_, i) => (i % 7) / 100), bias }));
}

describe('hostile model uploads through the gateway: refused with a 422 naming the problem, at no cost to the services', () => {
  const stack = new StackProcess();

  async function upload(name: string, file: Uint8Array): Promise<{ status: number; body: UploadReply }> {
    const form = new FormData();
    form.append('model', new Blob([new Uint8Array(file)]), `${name}.onnx`);
    const res = await fetch(`${stack.url}/model-management/models/${name}/versions`, { method: 'POST', headers: { 'x-api-key': OPERATOR }, body: form });
    return { status: res.status, body: (await res.json()) as UploadReply };
  }

  /** registry and every inference worker, by pid */
  function servicePids(): Record<string, number> {
    const { services } = stack.pids();
    const picked = Object.entries(services).filter(([name]) => name.startsWith('registry') || name.startsWith('inference-worker'));
    expect(picked.map(([n]) => n).some((n) => n.startsWith('registry'))).toBe(true);
    expect(picked.map(([n]) => n).some((n) => n.startsWith('inference-worker'))).toBe(true);
    return Object.fromEntries(picked);
  }

  beforeAll(async () => {
    await stack.start({ ...process.env, DATABASE_SCHEMA: uniqueSchema('e2e_hostile'), API_KEYS: `operator:${OPERATOR}`, LOGLENS_SEED_MODELS: '0' });
  });

  afterAll(async () => {
    await stack.interrupt();
  });

  it('still validates a well-formed model: limits, sandbox and worker test inference all pass', async () => {
    const { status, body } = await upload('plain', logisticOf(16, 0));
    expect(status).toBe(201);
    expect(body.version).toMatchObject({ ref: 'plain@1', status: 'validated' });
    const checks = Object.fromEntries(body.validation!.checks.map((c) => [c.check, c.outcome]));
    expect(checks).toMatchObject({ limits: 'pass', protobuf: 'pass', sandbox: 'pass', 'test-inference': 'pass' });
  });

  it('answers 422 to 4M empty nodes, 10,000 nested graphs, a 10^12-element input and the audit’s 88-byte file, and neither the registry nor a worker decodes them', async () => {
    const pids = servicePids();
    const rss = () => Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, rssMb(pid)]));
    async function refused(cases: Array<[string, Uint8Array, RegExp]>): Promise<void> {
      for (const [name, bytes, why] of cases) {
        const { status, body } = await upload(name, bytes);
        expect({ name, status, code: body.code }).toEqual({ name, status: 422, code: 'INVALID_MODEL' });
        expect(body.message).toMatch(why);
        expect(body.details).toEqual([expect.stringMatching(/^fail: limits: Refused before decoding/)]);
        expect(body.checks).toEqual([{ check: 'limits', outcome: 'fail', message: expect.stringMatching(/^Refused before decoding/) }]);
      }
    }
    const grew = (from: Record<string, number>, to: Record<string, number>, budgetMb: (service: string) => number, what: string) => {
      console.log(`RSS before/after ${what} (MiB): ${Object.keys(pids).map((n) => `${n} ${from[n].toFixed(0)} → ${to[n].toFixed(0)}`).join(', ')}`);
      for (const n of Object.keys(pids)) {
        expect({ what, service: n, grewWithinBudget: to[n] - from[n] < budgetMb(n) }).toEqual({ what, service: n, grewWithinBudget: true });
      }
    };

    // small files that declare huge things: before the sandbox, the 88-byte one took a worker from 137 MB to 5.3 GB
    const before = rss();
    await refused([
      ['nesting', nestedGraphsModel(10_000), /graphs are nested more than 8 deep.*ONNX_MAX_GRAPH_DEPTH/],
      ['huge-input', declaredShapeModel([1_000_000, 1_000_000]), /1,000,000,000,000 elements.*ONNX_MAX_TENSOR_ELEMENTS/],
      ['audit-88', declaredShapeModel([1, 536_870_912]), /536,870,912 elements.*ONNX_MAX_TENSOR_ELEMENTS/],
    ]);
    const afterSmall = rss();
    grew(before, afterSmall, () => 50, 'the declared-huge uploads');

    // an 8 MB file of 4M empty nodes: decoding it took the registry from 126 to 875 MB (~76 bytes of heap per file
    // byte). Refused before decoding, the registry still holds the upload's transient copies (base64 chunks off NATS,
    // bytea read back from Postgres, the assembled file), a few times the 8 MB that V8 does not hand back at once: its
    // budget is 120 MB, a fifth of what decoding cost. The workers receive nothing of a refused upload: 50 MB.
    await refused([['nodes', emptyNodesModel(4_000_000), /more than 100,000 nodes.*ONNX_MAX_NODES/]]);
    grew(afterSmall, rss(), (n) => (n.startsWith('registry') ? 120 : 50), 'the 8 MB upload');
  });

  it('takes concurrent multi-chunk uploads against the embedded Postgres without a 500', async () => {
    // ~1.2 MB each: five 256 KiB chunks, four in flight per upload, four uploads at once
    const files = [0, 1, 2, 3].map((k) => logisticOf(100_000, k / 10));
    const replies = await Promise.all(files.map((f, k) => upload(`multi-${k}`, f)));
    expect(replies.map((r) => [r.status, r.body.message ?? r.body.version?.status])).toEqual(files.map(() => [201, 'validated']));
  });
});
