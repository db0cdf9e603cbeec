import { toPipelineInput } from '../record-input';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from '@loglens/testing';
import { WildcardPattern } from '@loglens/log-parsing';
import { BasePipeline } from './base-pipeline';
import { WifiPipeline } from './wifi-pipeline';

const hostapd = () =>
  readFileSync(path.join(workspaceRoot(), 'data/wifi/hostapd_linuxrotuer.log'), 'utf8')
    .split('\n')
    .filter((l) => l.trim());

describe('WifiPipeline', () => {
  it('windows every line of the real hostapd sample into per-AP feature rows, dropping none', () => {
    const p = new WifiPipeline();
    const lines = hostapd();
    const parsed = lines.map((line, i) => p.add(i, { message: line, time: null, source: 'site1' }));
    expect(parsed.every((r) => r.windows === 1 && r.templateId)).toBe(true);
    const windows = p.flushAll();
    const members = windows.flatMap((w) => w.members).sort((a, b) => a - b);
    expect(members).toEqual(lines.map((_, i) => i));
    expect(windows.every((w) => w.features.length === p.featureNames.length)).toBe(true);
  });

  it('keeps template ids across a save and restore', () => {
    const lines = hostapd();
    const a = new WifiPipeline();
    lines.slice(0, 100).forEach((l, i) => a.add(i, { message: l, time: null, source: 's' }));
    const b = new WifiPipeline(a.snapshot());
    const restored = lines.slice(100).map((l, i) => b.add(i, { message: l, time: null, source: 's' }).templateId);
    const continued = lines.slice(100).map((l, i) => a.add(i, { message: l, time: null, source: 's' }).templateId);
    expect(restored).toEqual(continued);
  });
});

describe('BasePipeline', () => {
  const schema = {
    version: 'hdfs.v1',
    features: [
      { name: 'T1', dtype: 'float32' as const, description: 'Receiving block <*> src: /<*> dest: /<*>' },
      { name: 'T3', dtype: 'float32' as const, description: 'PacketResponder <*> for block <*> terminating' },
      { name: 'unseen_templates', dtype: 'float32' as const },
      { name: 'error_events', dtype: 'float32' as const },
    ],
  };

  it('counts lines against the model vocabulary per block session, unknown lines as unseen', () => {
    const p = new BasePipeline(schema, undefined, { windowMs: 3600_000 });
    const lines = [
      '081109 203615 148 INFO dfs.DataNode$DataXceiver: Receiving block blk_38865049064139660 src: /10.250.19.102:54106 dest: /10.250.19.102:50010',
      '081109 203807 222 INFO dfs.DataNode$PacketResponder: PacketResponder 0 for block blk_38865049064139660 terminating',
      '081109 204005 35 ERROR dfs.FSNamesystem: something unexpected for blk_38865049064139660',
      '081109 204005 35 INFO dfs.DataNode$DataXceiver: Receiving block blk_-6952295868487656571 src: /10.250.10.6:40524 dest: /10.250.10.6:50010',
    ];
    lines.forEach((l, i) => p.add(i, { message: l, time: null, source: 'hdfs' }));
    const windows = p.flushAll();
    expect(p.featureNames).toEqual(['T1', 'T3', 'unseen_templates', 'error_events']);
    const first = windows.find((w) => w.key === 'blk_38865049064139660')!;
    expect(first.features).toEqual([1, 1, 1, 1]);
    expect(first.members).toEqual([0, 1, 2]);
    expect(windows.find((w) => w.key === 'blk_-6952295868487656571')!.features).toEqual([1, 0, 0, 0]);
  });

  it('turns <*> into a wildcard and nothing else', () => {
    expect(new WildcardPattern('Received block <*> of size <*> from /<*>', false).test('Received block blk_1 of size 91178 from /10.250.10.6')).toBe(true);
    expect(new WildcardPattern('a.b (c) <*>', false).test('axb (c) 1')).toBe(false);
  });
});

describe('raw lines in the base pipeline', () => {
  it('dates windows from the line’s own header and mines only the body', () => {
    const p = new BasePipeline(null, undefined, { now: () => Date.UTC(2026, 11, 4) });
    const a = p.add(0, { message: 'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186', time: null, source: 'ssh' });
    p.add(1, { message: 'Dec 10 07:07:38 LabSZ sshd[24206]: Invalid user oracle1234 from 52.80.34.196', time: null, source: 'ssh' });
    expect(a.template).toBe('Invalid user webmaster from <*>');
    // the final template, once the second line generalised it
    expect(p.resolveTemplate(a.templateId ?? '')?.template).toBe('Invalid user <*> from <*>');
    const [w] = p.flushAll();
    // a December stamp read on 4 Dec 2026 is last year's: never more than a day ahead of now
    expect(new Date(w.start).toISOString()).toBe('2025-12-10T06:55:00.000Z');
  });

  it('cuts a line over the cap and says so', () => {
    const input = toPipelineInput(`INFO ${'x'.repeat(1024 * 1024)}`, 's');
    if ('error' in input) throw new Error(input.error);
    expect(input.message.length).toBe(64 * 1024);
    expect(new BasePipeline(null).add(0, input).truncated).toBe(true);
  });
});
