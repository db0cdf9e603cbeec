// The HDFS_v1 block sessions of data/hdfs-deeplog as event-count rows: the `log-anomaly` default model's training
// data and the evaluation's HDFS test split. See data/hdfs-deeplog/PROVENANCE.md for what is (and is not) there.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EventCountFeaturizer, FeatureSchema } from '@loglens/features';
import { parseCsv } from '@loglens/log-parsing';
import { HdfsDeeplogSplit, splitHdfsDeeplog } from '@loglens/training';

export const HDFS_DEEPLOG_DIR = 'data/hdfs-deeplog';
export const HDFS_FEATURE_SCHEMA_VERSION = 'hdfs-event-counts.e1-e29.v1';

/** Event-count rows of the pooled 50/50 split, with the schema naming each column after its loghub template. */
export interface HdfsDeeplogData {
  split: HdfsDeeplogSplit;
  featureSchema: FeatureSchema;
  xTrain: number[][];
  yTrain: number[];
  xTest: number[][];
  yTest: number[];
  /** Loghub template text per column, for agents that map mined templates onto these columns. */
  templates: Array<{ name: string; template: string }>;
}

/** Reads and featurises the DeepLog-format sessions (≈0.4 s). */
export function loadHdfsDeeplog(root: string): HdfsDeeplogData {
  const dir = path.join(root, HDFS_DEEPLOG_DIR);
  const gz = (file: string): string => gunzipSync(readFileSync(path.join(dir, `${file}.gz`))).toString('utf8');
  const split = splitHdfsDeeplog({
    hdfsTrain: gz('hdfs_train'),
    hdfsTestAbnormal: gz('hdfs_test_abnormal'),
    robustLogCsvs: [gz('robust_log_train.csv'), gz('robust_log_valid.csv')],
  });
  const [header, ...rows] = parseCsv(readFileSync(path.join(dir, 'HDFS_templates.csv'), 'utf8'));
  if (header.join(',') !== 'EventId,EventTemplate') throw new Error('HDFS_templates.csv: unexpected header');
  const text = new Map(rows.map(([id, template]) => [id, template]));
  // DeepLog's keys are loghub's E-numbers 1..29 (E30 never occurs in the sessions)
  const templates = Array.from({ length: 29 }, (_, i) => ({ name: `E${i + 1}`, template: text.get(`E${i + 1}`) ?? '' }));
  // the description is the bare template text: the base agent turns it into a pattern (`<*>` = any value) to count
  // raw lines against this column
  const featurizer = new EventCountFeaturizer(
    templates.map((t, i) => ({ id: String(i + 1), name: t.name, description: t.template })),
    [],
    HDFS_FEATURE_SCHEMA_VERSION,
  );
  const featurise = (s: { keys: string[] }): number[] => featurizer.vectorOf(s.keys.map((templateId) => ({ templateId })));
  return {
    split,
    featureSchema: featurizer.schema,
    xTrain: split.train.map(featurise),
    yTrain: split.train.map((s) => s.label),
    xTest: split.test.map(featurise),
    yTest: split.test.map((s) => s.label),
    templates,
  };
}
