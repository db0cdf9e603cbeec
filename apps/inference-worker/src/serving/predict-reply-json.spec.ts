import type { PredictReply } from '@loglens/contracts';
import { errorReplyJson, predictReplyJson } from './predict-reply-json';

const base: PredictReply = {
  modelVersion: 'hp@1',
  scores: [0.09112292528152466],
  isAnomaly: [false],
  threshold: 0.5,
  outputs: { score: { dims: [1, 1], data: [0.09112292528152466] } },
  timings: { queueMs: 0.012, computeMs: 0.139 },
  worker: 'inference-worker-5147-g8b7e6',
};

const replies: Array<[string, PredictReply]> = [
  ['one row, one output', base],
  ['NaN and infinite scores become null, as JSON.stringify writes them', { ...base, scores: [Number.NaN, Infinity, -0, 1e-7, 1e21], isAnomaly: null, threshold: null }],
  [
    'several outputs with labels, odd names and quotes',
    {
      ...base,
      scores: [0.2, 0.8],
      isAnomaly: [false, true],
      outputs: {
        'output_label': { dims: [2], data: ['normal', 'at"tack\\n\u2028'] },
        'output_probability': { dims: [2, 2], data: [0.8, 0.2, 0.2, 0.8] },
        'ünïcode "name"': { dims: [2], data: [1, 0] },
      },
    },
  ],
  ['no outputs', { ...base, outputs: {} }],
  [
    'explanations',
    {
      ...base,
      explanations: [
        {
          method: 'tree-shap',
          approximate: false,
          outputSpace: 'logit',
          baseValue: -1.5,
          outputValue: 0.25,
          attributions: [{ feature: 'E5 "x"', value: 3, contribution: 1.5 }, { feature: 'E9', value: null, reference: 0, contribution: 0.25 }],
        },
      ],
    },
  ],
  ['rows split between arms', { ...base, scores: [0.2, 0.8], isAnomaly: [false, true], modelVersions: ['m@1', 'm@2'] }],
  ['a worker id and version that need escaping', { ...base, modelVersion: 'a-b_c@12', worker: 'w"\\1' }],
];

describe('predictReplyJson', () => {
  it.each(replies)('writes exactly what JSON.stringify writes: %s', (_name, reply) => {
    expect(predictReplyJson(reply, undefined)).toBe(JSON.stringify({ response: reply }));
    const id = '6f1c1f9e-8a4c-4b7e-9a51-2f0d8f8f8f8f';
    expect(predictReplyJson(reply, id)).toBe(JSON.stringify({ response: reply, isDisposed: true, id }));
    expect(JSON.parse(predictReplyJson(reply, id))).toEqual(JSON.parse(JSON.stringify({ response: reply, isDisposed: true, id })));
  });

  it('wraps errors in the same envelope', () => {
    const err = { code: 'VALIDATION_FAILED' as const, message: 'rows: bad' };
    expect(JSON.parse(errorReplyJson(err, 'x'))).toEqual({ err, isDisposed: true, id: 'x' });
    expect(JSON.parse(errorReplyJson(err, undefined))).toEqual({ err });
  });
});
