import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { GetArtifactChunkRequest, LogLensError, RegistrySubjects, type ArtifactChunkReply } from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';

/** Downloads an artifact from the registry chunk by chunk and refuses it unless its sha256 matches. */
@Injectable()
export class ArtifactFetcher {
  constructor(private readonly rpc: RpcClient) {}

  async fetch(sha256: string, expectedSize: number): Promise<Uint8Array> {
    const first = await this.chunk(sha256, 0);
    if (first.totalSize !== expectedSize) {
      throw new LogLensError('INVALID_MODEL', `artifact ${sha256.slice(0, 12)} is ${first.totalSize} bytes, expected ${expectedSize}`);
    }
    const parts: Buffer[] = [Buffer.from(first.dataBase64, 'base64')];
    for (let i = 1; i < first.totalChunks; i++) parts.push(Buffer.from((await this.chunk(sha256, i)).dataBase64, 'base64'));
    const bytes = Buffer.concat(parts);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256 || bytes.byteLength !== first.totalSize) {
      throw new LogLensError('INVALID_MODEL', `artifact ${sha256.slice(0, 12)} failed verification (got sha256 ${actual.slice(0, 12)}, ${bytes.byteLength} bytes)`);
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private chunk(sha256: string, index: number): Promise<ArtifactChunkReply> {
    const req: GetArtifactChunkRequest = { sha256, index };
    // reading a chunk is idempotent, so one retry on timeout is safe
    return this.rpc.call(RegistrySubjects.getArtifactChunk, req, { timeoutMs: 10_000, retries: 1 });
  }
}
