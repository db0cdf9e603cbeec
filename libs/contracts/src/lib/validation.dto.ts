/** Validation report of a model version: one line per check, each pass / warn / fail with a human sentence. */

export const CHECK_OUTCOMES = ['pass', 'warn', 'fail'] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

export const VALIDATION_CHECKS = [
  /** sizes and counts read from the wire format before anything decodes the file */
  'limits',
  'protobuf',
  'ir-opsets',
  'external-data',
  'custom-ops',
  'feature-schema',
  'input-size',
  'outputs',
  'batch-dimension',
  'scaler',
  /** decoding, the checks above and one test inference in a child process with memory and time limits */
  'sandbox',
  'test-inference',
] as const;
export type ValidationCheckName = (typeof VALIDATION_CHECKS)[number];

export interface ValidationCheckDto {
  check: ValidationCheckName;
  outcome: CheckOutcome;
  message: string;
}

export interface ValidationReportDto {
  ref: string;
  /** fail if any check failed, warn if any warned, else pass */
  outcome: CheckOutcome;
  checks: ValidationCheckDto[];
  /** serving decisions validation made: tensor outputs served, fixed batch size */
  serving: { tensorOutputs: string[]; scoreOutput: string | null; fixedBatch: number | null };
  testInference: { latencyMs: number; worker: string } | null;
  validatedAt: string;
  validatedBy: string;
}

/** Outcome of a whole report from its checks. */
export function overallOutcome(checks: Array<{ outcome: CheckOutcome }>): CheckOutcome {
  if (checks.some((c) => c.outcome === 'fail')) return 'fail';
  if (checks.some((c) => c.outcome === 'warn')) return 'warn';
  return 'pass';
}
