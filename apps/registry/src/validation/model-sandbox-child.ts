// The sandbox child (bundled as dist/apps/registry/model-sandbox-child.js): decodes an uploaded model, runs the
// static checks and one test inference with onnxruntime-node, and reports back over IPC. It runs under a V8 heap
// cap, a resident-set watchdog and a wall-clock timeout set by the registry (ModelSandbox): whatever a hostile
// file makes it allocate dies with it.
import { OnnxModelSession } from '@loglens/model-runtime';
import { overallOutcome } from '@loglens/contracts';
import { baselineRow, type SandboxMessage, type SandboxRequest } from './sandbox-protocol';
import { staticChecks } from './static-checks';

function send(m: SandboxMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send?.(m, undefined, undefined, (e) => (e ? reject(e) : resolve())));
}

async function examine(req: SandboxRequest): Promise<void> {
  const { checks, facts } = staticChecks(req.bytes, req.metadata, req.scaler);
  await send({ type: 'static', checks, facts });
  if (!facts || overallOutcome(checks) === 'fail') return;
  const featureNames = facts.featureSchema?.features.map((f) => f.name);
  let session: OnnxModelSession | null = null;
  try {
    session = await OnnxModelSession.create(req.bytes, {
      ref: req.ref,
      inputName: facts.inputName,
      scoreOutput: facts.scoreOutput,
      featureNames: featureNames ?? null,
    });
    const baseline = baselineRow(req.metadata, featureNames);
    const result = await session.smokeTest({ width: facts.width ?? featureNames?.length ?? undefined, baselineRow: baseline ?? undefined });
    await send({
      type: 'test',
      check: result.ok
        ? { check: 'sandbox', outcome: 'pass', message: `Decoded and one ${baseline ? 'baseline' : 'zero'} row scored in the sandbox in ${result.latencyMs.toFixed(2)} ms.` }
        : { check: 'sandbox', outcome: 'fail', message: `The test inference in the sandbox failed: ${result.error}` },
    });
  } catch (e) {
    await send({ type: 'test', check: { check: 'sandbox', outcome: 'fail', message: `The sandbox could not load the model: ${(e as Error).message}` } });
  } finally {
    await session?.release().catch(() => undefined);
  }
}

// the registry went away (stopped, crashed): nobody waits for the answer and nobody would enforce the timeout
process.once('disconnect', () => process.exit(1));

process.once('message', (req: SandboxRequest) => {
  examine(req).then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(`[model-sandbox] ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
});
