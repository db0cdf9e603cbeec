import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { rawRequest, type HttpReply, type HttpRequest } from '../http/http-adapter';
import {
  kserveDatatypeOf,
  LogLensError,
  MODEL_NAME_PATTERN,
  type InferReply,
  type InferRequest,
  type ModelVersionDto,
} from '@loglens/contracts';
import { Public } from '../auth/roles';
import { HealthService } from '../health/health.service';
import { ModelsGatewayService } from '../models/models.gateway-service';
import { V2InferRequestDto } from './v2.dto';
import { binaryDataSize, binaryPartsOf, binaryReply, checkBinaryFlags, inferFrame, INFER_HEADER_LENGTH, readReplyFrame, valuesOf, wantsBinary, type ReplyTensor } from './v2-binary';
import { ApiReply, AUTHENTICATED, OVER_NATS } from '../openapi/api-replies';
import type { V2InferReply, V2LiveReply, V2ModelMetadataReply, V2ReadyReply, V2TensorMetadata } from '@loglens/contracts';


/**
 * V2InferReply as JSON, or (the binary data extension, when outputs are asked as binary) the same header followed by
 * the outputs' bytes as application/octet-stream: the reply type check of ApiReply cannot see the Buffer as that form.
 */
const V2_INFER_REPLY = ApiReply('V2InferReply', {
  errors: [...AUTHENTICATED, 400, 404, 413, 422, ...OVER_NATS],
  description: 'V2InferReply; with binary outputs (`binary_data`, `binary_data_output`) the same JSON header then the bytes, as application/octet-stream with Inference-Header-Content-Length',
}) as MethodDecorator;

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
  @ApiOperation({ summary: 'Inference on the serving version with typed tensors (JSON, or the binary data extension: see docs/api.md)' })
  @V2_INFER_REPLY
  infer(@Param('name') name: string, @Body() body: V2InferRequestDto, @Req() req?: HttpRequest, @Res({ passthrough: true }) res?: HttpReply): Promise<V2InferReply | Buffer> {
    return this.run({ model: checkName(name) }, body, req, res);
  }

  @Post('models/:name/versions/:version/infer')
  @HttpCode(200)
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Inference on one version with typed tensors (JSON, or the binary data extension: see docs/api.md)' })
  @V2_INFER_REPLY
  inferVersion(
    @Param('name') name: string,
    @Param('version') version: string,
    @Body() body: V2InferRequestDto,
    @Req() req?: HttpRequest,
    @Res({ passthrough: true }) res?: HttpReply,
  ): Promise<V2InferReply | Buffer> {
    return this.run({ version: `${checkName(name)}@${version}` }, body, req, res);
  }

  /**
   * JSON inputs go to the workers as JSON (`inference.infer.v1`); binary inputs (the binary data extension) go as bytes
   * (`inference.infer-binary.v1`) and are never turned into numbers. Outputs asked as binary come back after the JSON
   * header (the reply's `Inference-Header-Content-Length`), the others as JSON.
   */
  private async run(target: Pick<InferRequest, 'model' | 'version'>, body: V2InferRequestDto, req?: HttpRequest, res?: HttpReply): Promise<V2InferReply | Buffer> {
    const explain = body.parameters?.['explain'];
    if (explain !== undefined && typeof explain !== 'boolean') throw new LogLensError('VALIDATION_FAILED', 'parameters.explain must be a boolean');
    checkBinaryFlags(body);
    const rest = req ? binaryPartsOf(rawRequest(req)) : undefined;
    const binaryInputs = body.inputs.filter((t) => binaryDataSize(t) !== undefined);
    let outputs: ReplyTensor[];
    let modelVersion: string;
    let explanations: InferReply['explanations'];
    if (binaryInputs.length > 0) {
      if (rest === undefined) throw new LogLensError('VALIDATION_FAILED', `input "${binaryInputs[0].name}" has parameters.binary_data_size, but the request has no ${INFER_HEADER_LENGTH} header (the binary data extension's JSON length)`);
      const json = body.inputs.find((t) => binaryDataSize(t) === undefined);
      if (json) throw new LogLensError('VALIDATION_FAILED', `input "${json.name}" carries JSON data while others are binary: send every input as binary data, or every one as JSON`);
      if (explain) throw new LogLensError('VALIDATION_FAILED', 'parameters.explain needs the inputs as JSON data, not binary data');
      const { reply, parts } = readReplyFrame(await this.models.inferBinary(inferFrame(target, body, rest)));
      modelVersion = reply.modelVersion;
      outputs = reply.outputs.map((o, i) => ({ name: o.name, datatype: o.datatype, shape: o.shape, bytes: parts[i] }));
    } else {
      if (rest !== undefined && rest.byteLength > 0) throw new LogLensError('VALIDATION_FAILED', `${rest.byteLength} bytes follow the inference header, but no input has parameters.binary_data_size`);
      const reply = await this.models.infer({
        ...target,
        inputs: body.inputs as InferRequest['inputs'],
        ...(body.outputs ? { outputs: body.outputs.map((o) => o.name) } : {}),
        ...(explain ? { explain: true } : {}),
      });
      modelVersion = reply.modelVersion;
      explanations = reply.explanations;
      outputs = reply.outputs;
    }
    const [modelName, version] = modelVersion.split('@');
    const head = {
      model_name: modelName,
      model_version: version,
      ...(body.id ? { id: body.id } : {}),
      ...(explanations ? { parameters: { explanations } } : {}),
    };
    if (res && outputs.some((o) => wantsBinary(o.name, body))) {
      const { body: bytes, headerLength } = binaryReply(head, outputs, (name) => wantsBinary(name, body));
      res.header(INFER_HEADER_LENGTH, String(headerLength));
      res.type('application/octet-stream');
      return bytes;
    }
    return { ...head, outputs: outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape, data: valuesOf(o) })) };
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
