import { CONTRACT_SCHEMAS } from './contract-schemas.generated';
import { generateContractSchemas } from './generate-contract-schemas';

describe('contract schemas in the OpenAPI document', () => {
  it('are what the contracts generate today (else run: node tools/ts-run.mjs apps/gateway/src/openapi/generate-contract-schemas.ts)', () => {
    expect(CONTRACT_SCHEMAS).toEqual(generateContractSchemas());
  });

  it('keep the contracts’ error body with its code list, and refuse properties a type does not have', () => {
    expect(CONTRACT_SCHEMAS['ErrorBody']).toMatchObject({ required: ['code', 'message'], additionalProperties: false });
    expect(CONTRACT_SCHEMAS['ErrorCode']).toMatchObject({ type: 'string', enum: expect.arrayContaining(['VALIDATION_FAILED', 'NOT_FOUND', 'OVERLOADED']) });
  });
});
