import {
  checkTensorBytes,
  decodeBytesElements,
  decodeKServeBinaryBody,
  decodeTensorFrame,
  encodeBytesElements,
  encodeKServeBinaryBody,
  encodeTensorFrame,
  kserveElementSize,
  splitParts,
  tensorBytesToValues,
  tensorValuesToBytes,
} from './tensor-frame';

const f32 = (...v: number[]) => new Uint8Array(new Float32Array(v).buffer);

describe('tensor frames (inference.infer-binary.v1)', () => {
  it('round-trips a head and its parts, the parts as views of the frame', () => {
    const frame = encodeTensorFrame({ model: 'm', inputs: [{ name: 'x', byteLength: 8 }] }, [f32(1.5, -2)]);
    const { head, body } = decodeTensorFrame(frame);
    expect(head).toEqual({ model: 'm', inputs: [{ name: 'x', byteLength: 8 }] });
    expect(body.buffer).toBe(frame.buffer);
    expect(Array.from(new Float32Array(body.slice().buffer))).toEqual([1.5, -2]);
  });

  it('refuses a frame shorter than its length prefix, a head longer than the frame and a head that is not JSON', () => {
    expect(() => decodeTensorFrame(new Uint8Array(3))).toThrow(/at least 4 bytes, got 3/);
    const long = new Uint8Array(8);
    new DataView(long.buffer).setUint32(0, 100, true);
    expect(() => decodeTensorFrame(long)).toThrow(/head says 100 bytes, but only 4 follow/);
    const junk = new Uint8Array([2, 0, 0, 0, 0x7b, 0x7b]);
    expect(() => decodeTensorFrame(junk)).toThrow(/frame head is not valid JSON/);
  });
});

describe('the KServe v2 binary body', () => {
  it('round-trips the JSON header and the bytes after it', () => {
    const { body, headerLength } = encodeKServeBinaryBody({ inputs: [] }, [f32(1), new Uint8Array([1, 0])]);
    expect(headerLength).toBe(JSON.stringify({ inputs: [] }).length);
    const { header, rest } = decodeKServeBinaryBody(body, String(headerLength));
    expect(header).toEqual({ inputs: [] });
    expect(rest.byteLength).toBe(6);
  });

  it('refuses a missing, non-numeric or too large Inference-Header-Content-Length and a header that is not JSON', () => {
    const body = new TextEncoder().encode('{"inputs":[]}xyz');
    expect(() => decodeKServeBinaryBody(body, undefined)).toThrow(/Inference-Header-Content-Length must be a non-negative integer, got nothing/);
    expect(() => decodeKServeBinaryBody(body, '-3')).toThrow(/non-negative integer, got "-3"/);
    expect(() => decodeKServeBinaryBody(body, '12abc')).toThrow(/non-negative integer/);
    expect(() => decodeKServeBinaryBody(body, '99')).toThrow(/is 99, but the body has only 16 bytes/);
    expect(() => decodeKServeBinaryBody(body, '5')).toThrow(/inference header .* is not valid JSON/);
  });

  it('cuts the parts by their declared sizes, which must add up to the bytes there are', () => {
    const rest = new Uint8Array(12);
    expect(splitParts(rest, [8, 4], ['a', 'b']).map((p) => p.byteLength)).toEqual([8, 4]);
    expect(() => splitParts(rest, [8, 8], ['a', 'b'])).toThrow(/declare 16 bytes \("a" 8, "b" 8\), but the body holds 12 bytes/);
    expect(() => splitParts(rest, [8], ['a'])).toThrow(/declare 8 bytes/);
  });
});

describe('tensor byte sizes', () => {
  it('knows each datatype size and BYTES as variable', () => {
    expect([kserveElementSize('FP32'), kserveElementSize('INT64'), kserveElementSize('BOOL'), kserveElementSize('BYTES'), kserveElementSize('FP99')]).toEqual([4, 8, 1, null, undefined]);
  });

  it('checks shape × element size against binary_data_size, naming the tensor', () => {
    expect(checkTensorBytes('x', 'FP32', [256, 32], 256 * 32 * 4)).toBe(256 * 32);
    expect(() => checkTensorBytes('x', 'FP32', [2, 2], 12)).toThrow(/tensor "x": shape \[2,2\] of FP32 is 4 × 4 = 16 bytes, but binary_data_size is 12/);
    expect(() => checkTensorBytes('x', 'FP99', [1], 4)).toThrow(/unknown datatype "FP99"/);
    expect(() => checkTensorBytes('x', 'FP32', [-1, 2], 8)).toThrow(/shape must be an array of non-negative integers/);
    expect(() => checkTensorBytes('x', 'FP32', [1], '4')).toThrow(/binary_data_size must be a non-negative integer, got "4"/);
    expect(() => checkTensorBytes('x', 'FP32', [1], -4)).toThrow(/binary_data_size must be a non-negative integer/);
    expect(() => checkTensorBytes('s', 'BYTES', [3], 8)).toThrow(/3 BYTES elements need at least 12 bytes/);
  });
});

describe('BYTES elements', () => {
  it('round-trips strings with a 4-byte little-endian length each', () => {
    const bytes = encodeBytesElements(['a', '', 'héllo']);
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(1);
    expect(decodeBytesElements(bytes, 3, 's')).toEqual(['a', '', 'héllo']);
  });

  it('refuses a missing length, a length past the end and bytes left over', () => {
    const bytes = encodeBytesElements(['ab']);
    expect(() => decodeBytesElements(bytes, 2, 's')).toThrow(/element 1 has no 4-byte length/);
    expect(() => decodeBytesElements(bytes.subarray(0, 5), 1, 's')).toThrow(/element 0 says 2 bytes, but only 1 are left/);
    expect(() => decodeBytesElements(new Uint8Array([...bytes, 9]), 1, 's')).toThrow(/1 bytes are left after its 1 BYTES elements/);
  });
});

describe('values ⇄ bytes', () => {
  it.each([
    ['FP32', [1.5, -2, Number.NaN]],
    ['FP64', [0.1, 1e300]],
    ['INT64', [-3, 2 ** 40]],
    ['INT32', [-7, 7]],
    ['UINT8', [0, 255]],
    ['INT8', [-128, 127]],
    ['BOOL', [true, false]],
    ['BYTES', ['x', 'yz']],
  ] as const)('%s round-trips', (datatype, values) => {
    const bytes = tensorValuesToBytes(datatype, values, 't');
    expect(tensorBytesToValues(datatype, bytes, values.length, 't')).toEqual(values);
  });

  it('writes null as NaN in float tensors', () => {
    expect(tensorBytesToValues('FP32', tensorValuesToBytes('FP32', [null], 't'), 1, 't')).toEqual([Number.NaN]);
  });

  it('refuses an unknown datatype and FP16 JSON values', () => {
    expect(() => tensorValuesToBytes('FP99', [1], 't')).toThrow(/unknown datatype/);
    expect(() => tensorBytesToValues('FP16', new Uint8Array(2), 1, 't')).toThrow(/FP16 has no JSON form here/);
  });
});
