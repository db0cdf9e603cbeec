// Readers for the DeepLog-format HDFS_v1 sessions in data/hdfs-deeplog (see its PROVENANCE.md), and the pooled 50/50
// split the evaluation and the `log-anomaly` default model use. Text in, no file access.

/** One HDFS block session: log keys (loghub template numbers 1..29) in log order. */
export interface KeySession {
  keys: string[];
  /** 1 = anomalous block. */
  label: 0 | 1;
}

/** DeepLog's files: one session per line, space-separated keys. */
export function parseDeeplogSessions(text: string, label: 0 | 1): KeySession[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => ({ keys: l.split(/\s+/), label }));
}

/** logdeep's robust_log_*.csv: `Sequence,label` rows. */
export function parseRobustLogCsv(text: string): KeySession[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== 'Sequence,label') throw new RangeError(`expected header 'Sequence,label', got '${lines[0] ?? ''}'`);
  return lines.slice(1).map((line, i) => {
    const comma = line.lastIndexOf(',');
    const label = line.slice(comma + 1);
    if (comma < 0 || (label !== '0' && label !== '1')) throw new RangeError(`robust_log row ${i + 1}: '${line}'`);
    return { keys: line.slice(0, comma).trim().split(/\s+/), label: label === '1' ? 1 : 0 };
  });
}

/** The pooled, split HDFS sessions and how they were put together. */
export interface HdfsDeeplogSplit {
  train: KeySession[];
  test: KeySession[];
  counts: {
    normalFromDeeplog: number;
    normalFromRobustLog: number;
    anomalous: number;
    train: { normal: number; anomalous: number };
    test: { normal: number; anomalous: number };
  };
}

/**
 * Pools every normal session available (DeepLog's hdfs_train, then robust_log normal rows whose sequence hdfs_train
 * lacks: logdeep drew those from the rest of HDFS_v1) with DeepLog's anomalous sessions, and splits each class in
 * file order at `trainRatio`, as loglizer's `uniform` split does (loglizer: train_ratio 0.5).
 */
export function splitHdfsDeeplog(
  files: { hdfsTrain: string; hdfsTestAbnormal: string; robustLogCsvs: readonly string[] },
  trainRatio = 0.5,
): HdfsDeeplogSplit {
  const deeplogNormal = parseDeeplogSessions(files.hdfsTrain, 0);
  const known = new Set(deeplogNormal.map((s) => s.keys.join(' ')));
  const robustNormal = files.robustLogCsvs
    .flatMap(parseRobustLogCsv)
    .filter((s) => s.label === 0 && !known.has(s.keys.join(' ')));
  const normal = [...deeplogNormal, ...robustNormal];
  const anomalous = parseDeeplogSessions(files.hdfsTestAbnormal, 1);
  const cut = (xs: KeySession[]): [KeySession[], KeySession[]] => {
    const k = Math.floor(trainRatio * xs.length);
    return [xs.slice(0, k), xs.slice(k)];
  };
  const [nTrain, nTest] = cut(normal);
  const [aTrain, aTest] = cut(anomalous);
  return {
    train: [...nTrain, ...aTrain],
    test: [...nTest, ...aTest],
    counts: {
      normalFromDeeplog: deeplogNormal.length,
      normalFromRobustLog: robustNormal.length,
      anomalous: anomalous.length,
      train: { normal: nTrain.length, anomalous: aTrain.length },
      test: { normal: nTest.length, anomalous: aTest.length },
    },
  };
}

/** HDFS_v1's share of anomalous blocks (16,838 of 575,061), for re-weighting precision measured on the pooled split. */
export const HDFS_V1_ANOMALY_PREVALENCE = 16_838 / 575_061;
