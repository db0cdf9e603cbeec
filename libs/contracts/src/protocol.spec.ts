/**
 * The console imports `@loglens/contracts/protocol` in the browser: loading it must not load class-validator or
 * class-transformer (each would throw here), and it must still carry every value the console needs.
 */
jest.mock('class-validator', () => {
  throw new Error('class-validator was loaded by @loglens/contracts/protocol');
});
jest.mock('class-transformer', () => {
  throw new Error('class-transformer was loaded by @loglens/contracts/protocol');
});

describe('@loglens/contracts/protocol', () => {
  it('loads without class-validator or class-transformer and carries subjects, limits, roles, patterns and errors', async () => {
    const protocol = await import('./protocol');
    expect(protocol.RegistrySubjects.versionDeployed).toBe('loglens.registry.events.version-deployed.v1');
    expect(protocol.bareSubject(protocol.RegistrySubjects.versionDeployed)).toBe('registry.events.version-deployed.v1');
    expect(protocol.API_KEY_ROLES).toEqual(['viewer', 'operator', 'admin']);
    expect(protocol.ALIAS_PATTERN.test('production')).toBe(true);
    expect(protocol.ALIAS_PATTERN.test('latest')).toBe(false);
    expect(protocol.MODEL_NAME_PATTERN.test('hdfs')).toBe(true);
    expect([protocol.PREDICT_MAX_ROWS, protocol.ANALYZE_MAX_RECORDS, protocol.UPLOAD_MAX_BYTES]).toEqual([10_000, 10_000, 100 * 1024 * 1024]);
    expect(new protocol.LogLensError('NOT_FOUND', 'x').code).toBe('NOT_FOUND');
    expect(protocol.allowedActions({ ref: 'm@1', status: 'validated', archived: false, aliases: [] }).has('deploy')).toBe(true);
  });

  it('the main entry does load them (so the check above can fail)', async () => {
    await expect(import('./index')).rejects.toThrow(/class-(validator|transformer) was loaded/);
  });
});
