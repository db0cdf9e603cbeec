import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { RegistrySubjects, type CommitUploadReply } from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';

export interface UploadInput {
  model: string;
  modelFile: Buffer;
  scalerFile: Buffer | null;
  metadata: Record<string, unknown>;
  task?: string;
  description?: string;
  createdBy: string;
}

/** Sends an upload to the registry in chunks (NATS caps a message at 1 MiB; models can be 100 MiB). */
@Injectable()
export class UploadClient {
  constructor(private readonly rpc: RpcClient) {}

  async upload(input: UploadInput): Promise<CommitUploadReply> {
    const begin = {
      model: input.model,
      modelBytes: input.modelFile.byteLength,
      ...(input.scalerFile ? { scalerBytes: input.scalerFile.byteLength } : {}),
      ...(input.task ? { task: input.task } : {}),
      ...(input.description ? { description: input.description } : {}),
      metadata: input.metadata,
      createdBy: input.createdBy,
    };
    const { uploadId, chunkBytes } = await this.rpc.call(RegistrySubjects.beginUpload, begin, { timeoutMs: 10_000 });
    await this.sendPart(uploadId, 'model', input.modelFile, chunkBytes);
    if (input.scalerFile) await this.sendPart(uploadId, 'scaler', input.scalerFile, chunkBytes);
    const modelSha256 = createHash('sha256').update(input.modelFile).digest('hex');
    // validation includes a test inference in a worker: give it time
    return this.rpc.call(RegistrySubjects.commitUpload, { uploadId, modelSha256 }, { timeoutMs: 60_000 });
  }

  private async sendPart(uploadId: string, part: 'model' | 'scaler', bytes: Buffer, chunkBytes: number): Promise<void> {
    const total = Math.ceil(bytes.byteLength / chunkBytes);
    // a few chunks in flight keep the pipe busy without flooding the registry
    const inFlight = 4;
    for (let start = 0; start < total; start += inFlight) {
      const batch = Array.from({ length: Math.min(inFlight, total - start) }, (_, k) => start + k);
      await Promise.all(
        batch.map((index) => {
          const dataBase64 = bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes).toString('base64');
          // a chunk write is idempotent (same index, same bytes), so it may be retried
          return this.rpc.call(RegistrySubjects.uploadChunk, { uploadId, part, index, dataBase64 }, { timeoutMs: 15_000, retries: 1 });
        }),
      );
    }
  }
}
