/** Raised when bytes cannot be read as an ONNX ModelProto with a graph. */
export class OnnxFormatError extends Error {
  readonly code = 'ONNX_PARSE_FAILED' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnnxFormatError';
  }
}
