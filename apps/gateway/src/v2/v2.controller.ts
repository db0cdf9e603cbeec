import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
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

interface V2TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

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
  live(): { live: true } {
    return { live: true };
  }

  @Get('health/ready')
  @Public()
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ ready: boolean }> {
    const r = await this.health.readiness();
    res.status(r.ready ? 200 : 503);
    return { ready: r.ready };
  }

  @Get('models/:name')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Model metadata of the serving version' })
  async model(@Param('name') name: string): Promise<object> {
    return this.metadata(name, await this.models.get(checkName(name)));
  }

  @Get('models/:name/versions/:version')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Model metadata of one version' })
  async modelVersion(@Param('name') name: string, @Param('version') version: string): Promise<object> {
    return this.metadata(name, await this.models.get(`${checkName(name)}@${version}`));
  }

  @Post('models/:name/infer')
  @HttpCode(200)
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Inference on the serving version with typed tensors' })
  infer(@Param('name') name: string, @Body() body: V2InferRequestDto): Promise<object> {
    return this.run({ model: checkName(name) }, body);
  }

  @Post('models/:name/versions/:version/infer')
  @HttpCode(200)
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Inference on one version with typed tensors' })
  inferVersion(@Param('name') name: string, @Param('version') version: string, @Body() body: V2InferRequestDto): Promise<object> {
    return this.run({ version: `${checkName(name)}@${version}` }, body);
  }

  private async run(target: Pick<InferRequest, 'model' | 'version'>, body: V2InferRequestDto): Promise<object> {
    const req: InferRequest = { ...target, inputs: body.inputs, ...(body.outputs ? { outputs: body.outputs.map((o) => o.name) } : {}) };
    const reply = await this.models.infer(req);
    const [modelName, modelVersion] = reply.modelVersion.split('@');
    return { model_name: modelName, model_version: modelVersion, ...(body.id ? { id: body.id } : {}), outputs: reply.outputs };
  }

  private async metadata(name: string, v: ModelVersionDto): Promise<object> {
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
