import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot, modelBytes } from '@loglens/testing';
import { OnnxModelSession } from './onnx-session';

/**
 * Load/unload must not leak: a worker hot-swaps versions for weeks. 100 create → run → release cycles of a real
 * third-party model; RSS after the last must stay within 10% of RSS after the first 10 (the figures are written to
 * test-artifacts/ for the record).
 */
describe('session load/unload cycles', () => {
  it('keeps RSS flat across 100 load/unload cycles', async () => {
    const bytes = modelBytes('sklearn_onnx_docs/rf_iris.onnx');
    const binding = { ref: 'rf@1', inputName: 'float_input', scoreOutput: 'output_label', featureNames: null };
    const rss: number[] = [];
    for (let i = 1; i <= 100; i++) {
      const s = await OnnxModelSession.create(bytes, binding, { logSeverityLevel: 4 });
      await s.predict([
        [5.1, 3.5, 1.4, 0.2],
        [6.2, 2.9, 4.3, 1.3],
      ]);
      await s.release();
      if (i % 10 === 0) rss.push(process.memoryUsage().rss);
    }
    const afterTen = rss[0];
    const afterHundred = rss[rss.length - 1];
    const dir = path.join(workspaceRoot(), 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'session-cycles-rss.json'),
      JSON.stringify({ model: 'rf_iris.onnx', rssMiBEvery10Cycles: rss.map((b) => Math.round((b / 2 ** 20) * 10) / 10), growth: afterHundred / afterTen - 1 }, null, 2),
    );
    expect(afterHundred).toBeLessThanOrEqual(afterTen * 1.1);
  }, 120_000);
});
