import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LessThan, type DataSource } from 'typeorm';
import {
  ARTIFACT_CHUNK_BYTES,
  LogLensError,
  type BeginUploadReply,
  type BeginUploadRequest,
  type CommitUploadRequest,
  type UploadChunkReply,
  type UploadChunkRequest,
} from '@loglens/contracts';
import { sha256Hex } from '../artifacts/artifacts.service';
import { ModelsService, type RegisteredVersion } from '../models/models.service';
import { MODEL_LIMITS, type ModelLimits } from '../validation/model-limits.env';
import { UploadEntity } from './upload.entity';

/** Uploads left unfinished longer than this are dropped. */
const STALE_AFTER_MS = 60 * 60 * 1000;

/**
 * Chunked uploads: artifacts above the NATS payload limit arrive in ARTIFACT_CHUNK_BYTES pieces stored in Postgres
 * (any registry instance may take any chunk), and are assembled, checked and registered on commit.
 */
@Injectable()
export class UploadsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly models: ModelsService,
    @Inject(MODEL_LIMITS) private readonly limits: ModelLimits,
  ) {}

  async begin(req: BeginUploadRequest): Promise<BeginUploadReply> {
    // refused before a single chunk is stored
    const max = this.limits.onnx.maxBytes;
    for (const [part, size] of [['model', req.modelBytes], ['scaler', req.scalerBytes ?? 0]] as const) {
      if (size > max) {
        throw new LogLensError('INVALID_MODEL', `the ${part} file has ${size.toLocaleString('en')} bytes; at most ${max.toLocaleString('en')} are accepted (ONNX_MAX_BYTES)`);
      }
    }
    await this.ds.getRepository(UploadEntity).delete({ createdAt: LessThan(new Date(Date.now() - STALE_AFTER_MS)) });
    const saved = await this.ds.getRepository(UploadEntity).save({ request: req, modelBytes: req.modelBytes, scalerBytes: req.scalerBytes ?? null });
    return { uploadId: saved.id, chunkBytes: ARTIFACT_CHUNK_BYTES };
  }

  async chunk(req: UploadChunkRequest): Promise<UploadChunkReply> {
    const upload = await this.find(req.uploadId);
    const data = Buffer.from(req.dataBase64, 'base64');
    const total = req.part === 'model' ? upload.modelBytes : upload.scalerBytes;
    if (total === null) throw new LogLensError('VALIDATION_FAILED', 'this upload was not opened with a scaler');
    if (data.byteLength === 0 || data.byteLength > ARTIFACT_CHUNK_BYTES) {
      throw new LogLensError('VALIDATION_FAILED', `a chunk must hold 1..${ARTIFACT_CHUNK_BYTES} bytes (got ${data.byteLength})`);
    }
    if (req.index * ARTIFACT_CHUNK_BYTES + data.byteLength > total) {
      throw new LogLensError('VALIDATION_FAILED', `chunk ${req.index} goes past the announced ${req.part} size of ${total} bytes`);
    }
    await this.ds.query(
      `INSERT INTO ${this.partsTable()} (upload_id, part, idx, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (upload_id, part, idx) DO UPDATE SET data = EXCLUDED.data`,
      [upload.id, req.part, req.index, data],
    );
    return { receivedBytes: data.byteLength };
  }

  async commit(req: CommitUploadRequest): Promise<RegisteredVersion> {
    const upload = await this.find(req.uploadId);
    const bytes = await this.assemble(upload.id, 'model', upload.modelBytes);
    if (req.modelSha256 && sha256Hex(bytes) !== req.modelSha256) {
      throw new LogLensError('VALIDATION_FAILED', 'the assembled model does not match the sha256 the uploader computed: a chunk was lost or altered');
    }
    const scaler = upload.scalerBytes ? await this.assemble(upload.id, 'scaler', upload.scalerBytes) : null;
    try {
      const { request } = upload;
      return await this.models.register({
        model: request.model,
        task: request.task,
        description: request.description,
        metadata: request.metadata,
        createdBy: request.createdBy,
        bytes,
        scaler,
      });
    } finally {
      await this.ds.getRepository(UploadEntity).delete({ id: upload.id });
    }
  }

  private async find(id: string): Promise<UploadEntity> {
    const upload = await this.ds.getRepository(UploadEntity).findOneBy({ id });
    if (!upload) throw new LogLensError('NOT_FOUND', `no upload ${id} (unknown, committed, or expired after an hour)`);
    return upload;
  }

  private async assemble(uploadId: string, part: 'model' | 'scaler', total: number): Promise<Buffer> {
    const rows: Array<{ idx: number; data: Buffer }> = await this.ds.query(
      `SELECT idx, data FROM ${this.partsTable()} WHERE upload_id = $1 AND part = $2 ORDER BY idx`,
      [uploadId, part],
    );
    const expected = Math.ceil(total / ARTIFACT_CHUNK_BYTES);
    const missing = Array.from({ length: expected }, (_, i) => i).filter((i) => rows[i]?.idx !== i);
    if (rows.length !== expected || missing.length) {
      throw new LogLensError('VALIDATION_FAILED', `the ${part} upload is incomplete: ${rows.length} of ${expected} chunks arrived`);
    }
    const bytes = Buffer.concat(rows.map((r) => r.data));
    if (bytes.byteLength !== total) {
      throw new LogLensError('VALIDATION_FAILED', `the ${part} upload has ${bytes.byteLength} bytes, ${total} were announced`);
    }
    return bytes;
  }

  private partsTable(): string {
    const md = this.ds.getMetadata(UploadEntity);
    return md.schema ? `"${md.schema}"."upload_parts"` : '"upload_parts"';
  }
}
