import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The validator is ESM (kubernetes-models ships ESM only): these specs run it as `npm run k8s:check` does, in its
// own node, on a YAML stream each (`--file`).
const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'k8s-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(name: string, yaml: string): { status: number | null; output: string } {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const r = spawnSync('node', ['deploy/src/k8s-check.mjs', '--file', file], { cwd: root, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

interface DeploymentOptions {
  replicas?: string;
  image?: string | null;
  secret?: string;
}

function deployment({
  replicas = '2',
  image = 'loglens/registry:1',
  secret = 'nats-registry',
}: DeploymentOptions = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: registry
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: registry
  template:
    metadata:
      labels:
        app.kubernetes.io/name: registry
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
      containers:
        - name: registry
${image === null ? '' : `          image: ${image}\n`}          resources:
            requests: { cpu: 100m, memory: 256Mi }
            limits: { memory: 512Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
      volumes:
        - name: nats
          secret:
            secretName: ${secret}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: registry
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: registry
---
apiVersion: v1
kind: Secret
metadata:
  name: nats-registry
data:
  nkey: U1VBQkNERUYK
`;
}

describe('k8s validator (npm run k8s:check)', () => {
  it('accepts a well-formed Deployment with its PodDisruptionBudget and Secret', () => {
    const r = check('valid', deployment());
    expect(r.output).toContain('3 objects valid');
    expect(r.status).toBe(0);
  });

  it('rejects a Deployment whose replicas is a string', () => {
    const r = check('string-replicas', deployment({ replicas: '"2"' }));
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/Deployment\/registry: .*replicas must be integer/);
  });

  it('rejects a container without an image', () => {
    const r = check('no-image', deployment({ image: null }));
    expect(r.status).toBe(1);
    expect(r.output).toContain('Deployment/registry container registry: no image');
  });

  it('rejects a reference to a secret nothing creates', () => {
    const r = check('missing-secret', deployment({ secret: 'nats-registri' }));
    expect(r.status).toBe(1);
    expect(r.output).toContain('mounts secret nats-registri, which nothing creates');
  });

  it('fails on a kind it has no model for instead of skipping it', () => {
    const r = check(
      'unknown-kind',
      `${deployment()}---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n`,
    );
    expect(r.status).toBe(1);
    expect(r.output).toContain('Widget/w: no model for example.com/v1/Widget');
  });

  it('rejects a KEDA ScaledObject whose trigger has no type', () => {
    const scaled = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: registry
spec:
  scaleTargetRef:
    name: registry
  triggers:
    - metadata:
        lagThreshold: "10"
`;
    const r = check('keda-no-type', `${deployment()}---\n${scaled}`);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/ScaledObject\/registry: .*type/);
  });

  it('rejects a replica count on a Deployment that KEDA scales', () => {
    const scaled = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: registry
spec:
  scaleTargetRef:
    name: registry
  triggers:
    - type: cpu
      metricType: Utilization
      metadata:
        value: "75"
`;
    const r = check('keda-replicas', `${deployment()}---\n${scaled}`);
    expect(r.status).toBe(1);
    expect(r.output).toContain('must not set spec.replicas');
  });

  it('rejects a partitioned agent whose replicas differ from AGENT_INSTANCES', () => {
    const agent = (replicas: number) =>
      deployment({ replicas: String(replicas) })
        .replace('kind: Deployment', 'kind: StatefulSet')
        .replace('spec:\n  replicas:', 'spec:\n  serviceName: registry\n  replicas:')
        .replace('          resources:', "          env:\n            - name: AGENT_INSTANCES\n              value: '2'\n          resources:");
    expect(check('agents-ok', agent(2)).status).toBe(0);
    const r = check('agents-3', agent(3));
    expect(r.status).toBe(1);
    expect(r.output).toContain('replicas (3) must equal AGENT_INSTANCES (2)');
  });

  it('rejects YAML that does not parse', () => {
    const r = check('bad-yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n');
    expect(r.status).toBe(1);
    expect(r.output).toContain('YAML:');
  });
});
