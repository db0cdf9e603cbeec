import { agentDurable, sourceOfSubject } from './partitions';
import { NAMESPACE, inNamespace, inboxPrefix, jetStreamName, namespaced, withoutNamespace } from './namespace';
import { AgentSubjects, AnalysisSubjects, HealthSubjects, InferenceSubjects, JetStreamNames, LogSubjects, RegistrySubjects } from './subjects';

describe('namespace', () => {
  it('defaults to loglens and puts it in front of every subject of every map', () => {
    expect(NAMESPACE).toBe('loglens');
    for (const map of [RegistrySubjects, InferenceSubjects, HealthSubjects, LogSubjects, AnalysisSubjects, AgentSubjects]) {
      for (const subject of Object.values(map)) expect(subject.startsWith('loglens.')).toBe(true);
    }
    expect(RegistrySubjects.deployVersion).toBe('loglens.registry.version.deploy.v1');
  });

  it('names streams, durables and buckets in the namespace', () => {
    expect(Object.values(JetStreamNames)).toEqual(['loglens-LOGS', 'loglens-ANALYSIS', 'loglens-payloads', 'loglens-agent-state', 'loglens-DEADLETTER']);
    expect(agentDurable('wifi')).toBe('loglens-agent-wifi');
    expect(jetStreamName('LOGS', 'a')).toBe('a-LOGS');
  });

  it('moves a subject between namespaces and strips it for names shown to users', () => {
    expect(inNamespace(LogSubjects.all, 'a')).toBe('a.logs.>');
    expect(inNamespace('logs.wifi.s1', 'b')).toBe('b.logs.wifi.s1');
    expect(withoutNamespace(RegistrySubjects.versionDeployed)).toBe('registry.events.version-deployed.v1');
    expect(withoutNamespace('other.registry.x')).toBe('other.registry.x');
    expect(namespaced({ x: 'trainer.job.start.v1' }, 'a').x).toBe('a.trainer.job.start.v1');
  });

  it('reads the source of a log subject after the namespace', () => {
    expect(sourceOfSubject(`${LogSubjects.wifi}.site-1`)).toBe('site-1');
  });

  it('gives each principal its own inbox prefix', () => {
    expect(inboxPrefix('inference-worker', 'a')).toBe('_INBOX_a_inference-worker');
  });
});
