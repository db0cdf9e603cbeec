import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ARTIFACT_CHUNK_BYTES, LogLensError, type ArtifactChunkReply } from '@loglens/contracts';
import { ArtifactEntity } from './artifact.entity';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Content-addressed artifact store in Postgres. */
@Injectable()
export class ArtifactsService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Stores the bytes once per sha256 (a second upload of the same file stores nothing). */
  async store(bytes: Uint8Array, manager: EntityManager = this.ds.manager): Promise<{ sha256: string; sizeBytes: number }> {
    const sha256 = sha256Hex(bytes);
    await manager
      .createQueryBuilder()
      .insert()
      .into(ArtifactEntity)
      .values({ sha256, sizeBytes: bytes.byteLength, data: Buffer.from(bytes) })
      .orIgnore()
      .execute();
    return { sha256, sizeBytes: bytes.byteLength };
  }

  /** The whole artifact (validation reads it; workers fetch chunks instead). */
  async read(sha256: string): Promise<Buffer> {
    const row = await this.ds
      .getRepository(ArtifactEntity)
      .createQueryBuilder('a')
      .addSelect('a.data')
      .where('a.sha256 = :sha256', { sha256 })
      .getOne();
    if (!row) throw new LogLensError('NOT_FOUND', `no artifact with sha256 ${sha256}`);
    return row.data;
  }

  /** One chunk of an artifact, read with substring() so the whole file is never loaded per request. */
  async chunk(sha256: string, index: number): Promise<ArtifactChunkReply> {
    const meta = await this.ds.getRepository(ArtifactEntity).findOne({ where: { sha256 } });
    if (!meta) throw new LogLensError('NOT_FOUND', `no artifact with sha256 ${sha256}`);
    const totalChunks = Math.max(1, Math.ceil(meta.sizeBytes / ARTIFACT_CHUNK_BYTES));
    if (index >= totalChunks) {
      throw new LogLensError('VALIDATION_FAILED', `chunk index ${index} is out of range: the artifact has ${totalChunks} chunk(s)`);
    }
    const rows: Array<{ part: Buffer }> = await this.ds.query(
      `SELECT substring(data from $1 for $2) AS part FROM ${this.table()} WHERE sha256 = $3`,
      [index * ARTIFACT_CHUNK_BYTES + 1, ARTIFACT_CHUNK_BYTES, sha256],
    );
    return {
      sha256,
      index,
      totalChunks,
      totalSize: meta.sizeBytes,
      dataBase64: Buffer.from(rows[0].part).toString('base64'),
    };
  }

  private table(): string {
    const md = this.ds.getMetadata(ArtifactEntity);
    return md.schema ? `"${md.schema}"."${md.tableName}"` : `"${md.tableName}"`;
  }
}
