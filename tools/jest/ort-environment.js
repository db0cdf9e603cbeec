// onnxruntime-node checks `data instanceof Float32Array` against the realm it was loaded in, while Jest runs
// each test file in its own vm context with its own typed-array classes. Sharing the outer realm's classes makes
// tensors created in tests acceptable to the native binding (see ../shared/FACTS.md).
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Float32Array', 'Float64Array',
  'Int8Array', 'Int16Array', 'Int32Array',
  'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array',
  'BigInt64Array', 'BigUint64Array',
];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
