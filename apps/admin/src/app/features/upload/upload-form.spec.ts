import { checkMetadata, checkModelFile, checkModelName } from './upload-form';

describe('upload form checks', () => {
  it('accepts empty metadata and any JSON object', () => {
    expect(checkMetadata('  ')).toEqual({ ok: true, text: '', keys: [] });
    expect(checkMetadata('{"threshold": 0.5, "description": "x"}')).toMatchObject({
      ok: true,
      keys: ['threshold', 'description'],
    });
  });

  it('says what is wrong with metadata that is not a JSON object', () => {
    expect(checkMetadata('{"a": ')).toMatchObject({
      ok: false,
      error: expect.stringContaining('Not valid JSON'),
    });
    expect(checkMetadata('[1, 2]')).toMatchObject({
      ok: false,
      error: expect.stringContaining('JSON object'),
    });
  });

  it('checks model names like the registry does', () => {
    expect(checkModelName('iris')).toBeNull();
    expect(checkModelName('hdfs-session.v2_a')).toBeNull();
    expect(checkModelName('')).toMatch(/Name the model/);
    expect(checkModelName('Iris')).toMatch(/Lower-case/);
  });

  it('refuses a missing or empty model file', () => {
    expect(checkModelFile(null)).toMatch(/Choose or drop/);
    expect(checkModelFile(new File([], 'm.onnx'))).toMatch(/empty/);
    expect(checkModelFile(new File([new Uint8Array(8)], 'm.onnx'))).toBeNull();
  });
});
