import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  InferenceSubjects,
  LogLensError,
  RegistrySubjects,
  formatVersionRef,
  overallOutcome,
  statusAfterValidation,
  type ValidateArtifactRequest,
  type ValidationCheckDto,
  type ValidationReportDto,
} from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import { ArtifactsService } from '../artifacts/artifacts.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import type { ModelEntity } from '../models/model.entity';
import { RegistryEvents } from '../models/registry-events';
import { resolveVersionRef } from '../models/version-resolver';
import { ModelSandbox } from './model-sandbox';
import { baselineRow } from './sandbox-protocol';
import type { StaticFacts } from './static-checks';
import { ValidationReportEntity } from './validation-report.entity';

/** How long a worker gets to load the artifact and run one row. */
const TEST_INFERENCE_TIMEOUT_MS = 20_000;

@Injectable()
export class ValidationService {
  private readonly logger = new Logger(ValidationService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly rpc: RpcClient,
    private readonly artifacts: ArtifactsService,
    private readonly events: RegistryEvents,
    private readonly sandbox: ModelSandbox,
  ) {}

  /** Runs every check again on a stored version (e.g. once a worker is up, or after an onnxruntime upgrade). */
  async validate(ref: string, actor: string): Promise<ValidationReportDto> {
    const { model, version } = await resolveVersionRef(this.ds.manager, ref);
    const bytes = await this.artifacts.read(version.artifactSha256);
    const scaler = version.scalerSha256 ? await this.artifacts.read(version.scalerSha256) : null;
    const metadata = {
      ...version.metadata,
      featureSchema: version.featureSchema,
      threshold: version.threshold,
      inputName: version.inputName,
      scoreOutput: version.scoreOutput,
    };
    const { checks, facts } = await this.sandbox.examine({ bytes, metadata, scaler, ref: formatVersionRef(model.name, version.version) });
    return this.complete(model, version, checks, facts, actor);
  }

  /** Adds the test inference to static checks already made, stores the report and moves the version's status. */
  async complete(
    model: ModelEntity,
    version: ModelVersionEntity,
    checks: ValidationCheckDto[],
    facts: StaticFacts | null,
    actor: string,
  ): Promise<ValidationReportDto> {
    const ref = formatVersionRef(model.name, version.version);
    let testInference: ValidationReportDto['testInference'] = null;
    if (facts && overallOutcome(checks) !== 'fail') {
      const [check, result] = await this.testInference(ref, version, facts);
      checks = [...checks, check];
      testInference = result;
    }
    const outcome = overallOutcome(checks);
    const report: ValidationReportDto = {
      ref,
      outcome,
      checks,
      serving: { tensorOutputs: facts?.tensorOutputs ?? [], scoreOutput: facts?.scoreOutput || null, fixedBatch: facts?.fixedBatch ?? null },
      testInference,
      validatedAt: new Date().toISOString(),
      validatedBy: actor,
    };
    await this.ds.transaction(async (m) => {
      await m.getRepository(ValidationReportEntity).insert({ versionId: version.id, outcome, report, createdBy: actor });
      // a version that serves or is warm keeps its status; the report still says what is wrong
      const next = statusAfterValidation(version.status, outcome);
      if (next !== version.status) {
        version.status = next;
        await m.getRepository(ModelVersionEntity).update({ id: version.id }, { status: next });
      }
    });
    this.events.lifecycle(RegistrySubjects.versionValidated, { model: model.name, ref, actor, detail: { outcome } });
    return report;
  }

  async latest(ref: string): Promise<ValidationReportDto> {
    const { version } = await resolveVersionRef(this.ds.manager, ref);
    const row = await this.ds.getRepository(ValidationReportEntity).findOne({ where: { versionId: version.id }, order: { createdAt: 'DESC' } });
    if (!row) throw new LogLensError('NOT_FOUND', `${ref} has no validation report yet`);
    return row.report;
  }

  private async testInference(
    ref: string,
    version: ModelVersionEntity,
    facts: StaticFacts,
  ): Promise<[ValidationCheckDto, ValidationReportDto['testInference']]> {
    const baseline = baselineRow(version.metadata, facts.featureSchema?.features.map((f) => f.name));
    const req: ValidateArtifactRequest = {
      ref,
      sha256: version.artifactSha256,
      sizeBytes: version.sizeBytes,
      inputName: facts.inputName,
      scoreOutput: facts.scoreOutput,
      featureNames: facts.featureSchema?.features.map((f) => f.name) ?? null,
      ...(facts.width ? { width: facts.width } : {}),
      ...(baseline ? { baselineRow: baseline } : {}),
    };
    try {
      const r = await this.rpc.call(InferenceSubjects.validateArtifact, req, { timeoutMs: TEST_INFERENCE_TIMEOUT_MS });
      if (!r.ok) {
        return [{ check: 'test-inference', outcome: 'fail', message: `A test inference in worker ${r.worker} failed: ${r.error}` }, null];
      }
      return [
        {
          check: 'test-inference',
          outcome: 'pass',
          message: `Session created and one ${req.baselineRow ? 'baseline' : 'zero'} row scored in worker ${r.worker} in ${r.latencyMs?.toFixed(2)} ms.`,
        },
        { latencyMs: r.latencyMs ?? 0, worker: r.worker },
      ];
    } catch (e) {
      const err = e as LogLensError;
      if (err.code === 'UNAVAILABLE' || err.code === 'TIMEOUT') {
        // fail closed: a version no worker has run must not become deployable (a paused or overloaded worker, or a
        // model whose first run does not finish, used to pass with a warning)
        this.logger.warn(`test inference of ${ref} did not complete: ${err.message}`);
        return [
          {
            check: 'test-inference',
            outcome: 'fail',
            message:
              err.code === 'TIMEOUT'
                ? `The test inference did not finish within ${TEST_INFERENCE_TIMEOUT_MS / 1000} s (${err.message}); the version stays undeployable — validate it again when workers are idle, or fix the model.`
                : `No inference worker answered (${err.message}); the version stays undeployable until it is validated again with a worker up.`,
          },
          null,
        ];
      }
      return [{ check: 'test-inference', outcome: 'fail', message: `The test inference failed: ${err.message}` }, null];
    }
  }
}
