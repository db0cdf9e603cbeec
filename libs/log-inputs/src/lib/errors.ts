/** Why an input was refused or a line dropped; each code maps to one HTTP status and one metric label. */
export type IngestErrorCode =
  | 'INVALID_BODY'
  | 'INVALID_PROTOBUF'
  | 'INVALID_UTF8'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'STREAM_FULL'
  | 'STREAM_UNAVAILABLE'
  | 'OVERLOADED';

const STATUS: Record<IngestErrorCode, number> = {
  INVALID_BODY: 400,
  INVALID_PROTOBUF: 400,
  INVALID_UTF8: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  // OTLP/HTTP clients (SDK exporters, the collector) retry 429 and 503 with back-off, and no other 4xx
  STREAM_FULL: 429,
  OVERLOADED: 429,
  STREAM_UNAVAILABLE: 503,
};

export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IngestError';
  }

  get httpStatus(): number {
    return STATUS[this.code];
  }

  /** true when the sender should retry the same request later */
  get retryable(): boolean {
    return this.httpStatus === 429 || this.httpStatus === 503;
  }

  toJSON(): { code: IngestErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
