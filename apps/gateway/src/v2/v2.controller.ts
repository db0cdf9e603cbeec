import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../http/http-adapter';
import {
  kserveDatatypeOf,
  LogLensError,
  MODEL_NAME_PATTERN,
  type InferRequest,
  type ModelVersionDto,
} from '@loglens/contracts';
import { Public } from '../auth/roles';
import { HealthService } from '../health/health.service';
import { ModelsGatewayService } from '../models/models.gateway-service';
import { V2InferRequestDto } from './v2.dto';
import { ApiReply, AUTHENTICATED, OVER_NATS } from '../openapi/api-replies';
import type { V2InferReply, V2LiveReply, V2ModelMetadataReply, V2ReadyReply, V2TensorMetadata } from '@loglens/contracts';


/**
 * The Open Inference Protocol (KServe v2), as Triton and MLServer speak it, so standard clients work unchanged.
 * Symbolic and unknown dimensions are reported as -1.
 */
@ApiTags('v2 (Open Inference Protocol)')
@Controller('v2')
export class V2Controller {
  constructor(
    private readonly health: HealthService,
    private readonly models: ModelsGatewayService,
  ) {}

  @Get('health/live')
  @Public()
  @ApiOperation({ summary: 'Server liveness (KServe v2)' })
  @ApiReply('V2LiveReply', { errors: [429] })
  live(): V2LiveReply {
    return { live: true };
  }

  @Get('health/ready')
  @Public()
  @ApiOperation({ summary: 'Server readiness (KServe v2): 503 with `{ready: false}` while a required service is missing' })
  @ApiReply('V2ReadyReply', { status: [200, 503], errors: [429] })
  async ready(@Res({ passthrough: true }) res: HttpReply): Promise<V2ReadyReply> {
    const r = await this.health.readiness();
    res.status(r.ready ? 200 : 503);
    return { ready: r.ready };
  }

  @Get('models/:name')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Model metadata of the serving version' })
  @ApiReply('V2ModelMetadataReply', { errors: [...AUTHENTICATED, 400, 404, ...OVER_NATS] })
  async model(@Param('name') name: string): Promise<V2ModelMetadataReply> {
    return this.metadata(name, await this.models.get(checkName(name)));
  }

  @Get('models/:name/versions/:version')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Model metadata of one version' })
  @ApiReply('V2ModelMetadataReply', { errors: [...AUTHENTICATED, 400, 404, ...OVER_NATS] })
  async modelVersion(@Param('name') name: string, @Param('version') version: string): Promise<V2ModelMetadataReply> {
    return this.metadata(name, await this.models.get(`${checkName(name)}@${version}`));
  }

  @Post('models/:name/infer')
  @HttpCode(200)
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Inference on the serving version with typed tensors' })
  @ApiReply('V2InferReply', { errors: [...AUTHENTICATED, 400, 404, 413, 422, ...OVER_NATS] })
  infer(@Param('name') name: string, @Body() body: V2InferRequestDto): Promise<V2InferReply> {
    return this.run({ model: checkName(name) }, body);
  }

  @Post('models/:name/versions/:version/infer')
  @HttpCode(200)
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Inference on one version with typed tensors' })
  @ApiReply('V2InferReply', { errors: [...AUTHENTICATED, 400, 404, 413, 422, ...OVER_NATS] })
  inferVersion(@Param('name') name: string, @Param('version') version: string, @Body() body: V2InferRequestDto): Promise<V2InferReply> {
    return this.run({ version: `${checkName(name)}@${version}` }, body);
  }

  private async run(target: Pick<InferRequest, 'model' | 'version'>, body: V2InferRequestDto): Promise<V2InferReply> {
    const explain = body.parameters?.['explain'];
    if (explain !== undefined && typeof explain !== 'boolean') throw new LogLensError('VALIDATION_FAILED', 'parameters.explain must be a boolean');
    const req: InferRequest = {
      ...target,
      inputs: body.inputs,
      ...(body.outputs ? { outputs: body.outputs.map((o) => o.name) } : {}),
      ...(explain ? { explain: true } : {}),
    };
    const reply = await this.models.infer(req);
    const [modelName, modelVersion] = reply.modelVersion.split('@');
    return {
      model_name: modelName,
      model_version: modelVersion,
      ...(body.id ? { id: body.id } : {}),
      ...(reply.explanations ? { parameters: { explanations: reply.explanations } } : {}),
      outputs: reply.outputs,
    };
  }

  private async metadata(name: string, v: ModelVersionDto): Promise<V2ModelMetadataReply> {
    const { models } = await this.models.list();
    const versions = models.find((m) => m.name === name)?.versions.filter((x) => !x.archivedAt).map((x) => String(x.version)) ?? [];
    const tensor = (t: ModelVersionDto['signature']['inputs'][number]): V2TensorMetadata => ({
      name: t.name,
      datatype: (t.elemType && kserveDatatypeOf(t.elemType)) ?? 'BYTES',
      shape: (t.shape ?? []).map((d) => (typeof d === 'number' ? d : -1)),
    });
    return {
      name,
      versions,
      platform: 'onnxruntime_onnx',
      inputs: v.signature.inputs.map(tensor),
      outputs: v.signature.outputs.filter((o) => o.kind === 'tensor').map(tensor),
    };
  }
}

function checkName(name: string): string {
  if (!MODEL_NAME_PATTERN.test(name)) throw new LogLensError('VALIDATION_FAILED', `"${name}" is not a model name`);
  return name;
}
