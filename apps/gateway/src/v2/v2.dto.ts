import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Min, ValidateIf, ValidateNested } from 'class-validator';

export const KSERVE_DATATYPES = ['BOOL', 'UINT8', 'INT8', 'INT32', 'INT64', 'FP32', 'FP64', 'BYTES'] as const;

export class V2InputTensorDto {
  @ApiProperty({ example: 'float_input' })
  @IsString()
  name!: string;

  @ApiProperty({ example: [1, 4] })
  @IsArray()
  @IsInt({ each: true })
  @Min(0, { each: true })
  shape!: number[];

  @ApiProperty({ enum: KSERVE_DATATYPES, example: 'FP32' })
  @IsIn(KSERVE_DATATYPES as unknown as string[], { message: `datatype must be one of ${KSERVE_DATATYPES.join(', ')}` })
  datatype!: string;

  @ApiPropertyOptional({ example: [5.1, 3.5, 1.4, 0.2], description: 'row-major, flat or nested; absent when `parameters.binary_data_size` says the tensor follows the JSON as bytes' })
  @ValidateIf((o: V2InputTensorDto) => o.parameters?.['binary_data_size'] === undefined)
  @IsArray()
  data?: Array<number | string | boolean | null>;

  @ApiPropertyOptional({ example: { binary_data_size: 16 }, description: 'binary data extension: `binary_data_size` (bytes of this tensor after the JSON header)' })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
}

export class V2RequestedOutputDto {
  @ApiProperty({ example: 'output_label' })
  @IsString()
  name!: string;

  @ApiPropertyOptional({ example: { binary_data: true }, description: 'binary data extension: `binary_data: true` returns this output as bytes after the JSON header' })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
}

/** Open Inference Protocol (KServe v2) inference request. */
export class V2InferRequestDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  id?: string;

  @ApiProperty({ type: [V2InputTensorDto] })
  @IsArray()
  @ArrayMinSize(1, { message: 'inputs must hold at least one tensor' })
  @ValidateNested({ each: true })
  @Type(() => V2InputTensorDto)
  inputs!: V2InputTensorDto[];

  @ApiPropertyOptional({ type: [V2RequestedOutputDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => V2RequestedOutputDto)
  outputs?: V2RequestedOutputDto[];

  @ApiPropertyOptional()
  @IsOptional()
  parameters?: Record<string, unknown>;
}
