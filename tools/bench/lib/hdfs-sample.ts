import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from '@loglens/testing/workspace';

/**
 * LogLens' HDFS sample (LogHub HDFS_2k), repeated to `n` lines. The file has CRLF line ends: split as every LogLens
 * input splits text (`/\r?\n/`), so no line carries a stray carriage return a shipper would not send.
 */
export function hdfsLines(n: number): string[] {
  const sample = readFileSync(path.join(workspaceRoot(), 'data/loghub-2k/HDFS/HDFS_2k.log'), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  return Array.from({ length: n }, (_, i) => sample[i % sample.length]);
}
