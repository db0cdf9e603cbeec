// Validates rendered Kubernetes objects: each against its kind's schema (kubernetes-models: core, apps, batch,
// policy, networking, autoscaling; KEDA; CloudNativePG), then the rules LogLens holds its manifests to. An object
// of a kind with no model here is an error, never a skip: add the model when a new kind is used.
// Plain ESM on purpose: the kubernetes-models packages are ESM only (no `require`).
import { parseAllDocuments } from 'yaml';

/** apiVersion/kind → the module and export of its model. */
const MODELS = {
  'v1/ConfigMap': ['kubernetes-models/v1/ConfigMap', 'ConfigMap'],
  'v1/Secret': ['kubernetes-models/v1/Secret', 'Secret'],
  'v1/Service': ['kubernetes-models/v1/Service', 'Service'],
  'v1/ServiceAccount': ['kubernetes-models/v1/ServiceAccount', 'ServiceAccount'],
  'v1/PersistentVolumeClaim': ['kubernetes-models/v1/PersistentVolumeClaim', 'PersistentVolumeClaim'],
  'v1/Namespace': ['kubernetes-models/v1/Namespace', 'Namespace'],
  'apps/v1/Deployment': ['kubernetes-models/apps/v1/Deployment', 'Deployment'],
  'apps/v1/StatefulSet': ['kubernetes-models/apps/v1/StatefulSet', 'StatefulSet'],
  'batch/v1/Job': ['kubernetes-models/batch/v1/Job', 'Job'],
  'batch/v1/CronJob': ['kubernetes-models/batch/v1/CronJob', 'CronJob'],
  'policy/v1/PodDisruptionBudget': ['kubernetes-models/policy/v1/PodDisruptionBudget', 'PodDisruptionBudget'],
  'networking.k8s.io/v1/NetworkPolicy': [
    'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
    'NetworkPolicy',
  ],
  'networking.k8s.io/v1/Ingress': ['kubernetes-models/networking.k8s.io/v1/Ingress', 'Ingress'],
  'autoscaling/v2/HorizontalPodAutoscaler': [
    'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    'HorizontalPodAutoscaler',
  ],
  'keda.sh/v1alpha1/ScaledObject': ['@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject', 'ScaledObject'],
  'keda.sh/v1alpha1/ScaledJob': ['@kubernetes-models/keda/keda.sh/v1alpha1/ScaledJob', 'ScaledJob'],
  'keda.sh/v1alpha1/TriggerAuthentication': [
    '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication',
    'TriggerAuthentication',
  ],
  'postgresql.cnpg.io/v1/Cluster': [
    '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster',
    'Cluster',
  ],
};

/** Parses a multi-document YAML stream (what `kubectl kustomize` prints); a syntax error is an error. */
export function parseManifests(text) {
  const objects = [];
  const errors = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      errors.push(`YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return { objects, errors };
}

function id(o) {
  return `${o?.kind ?? '<no kind>'}/${o?.metadata?.name ?? '<no name>'}`;
}

/** The pod template of a workload (Deployment, StatefulSet, Job, CronJob), or undefined. */
function podTemplate(o) {
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template;
  if (['Deployment', 'StatefulSet', 'Job'].includes(o.kind)) return o.spec?.template;
  return undefined;
}

/** Secrets other controllers create: CloudNativePG writes `<cluster>-app` and `<cluster>-superuser`. */
function externallyCreatedSecrets(objects) {
  return objects
    .filter((o) => o.kind === 'Cluster' && String(o.apiVersion).startsWith('postgresql.cnpg.io/'))
    .flatMap((o) => [`${o.metadata?.name}-app`, `${o.metadata?.name}-superuser`]);
}

function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

/** LogLens's own rules for workloads: images, resources, non-root, read-only root fs, references, PDBs, scaling. */
function policyErrors(objects) {
  const errors = [];
  const names = (kind) => new Set(objects.filter((o) => o.kind === kind).map((o) => o.metadata?.name));
  const secrets = new Set([...names('Secret'), ...externallyCreatedSecrets(objects)]);
  const configMaps = names('ConfigMap');
  const seen = new Set();
  for (const o of objects) {
    const key = `${o.apiVersion}/${id(o)}`;
    if (seen.has(key)) errors.push(`${id(o)}: defined twice`);
    seen.add(key);
  }
  const scaled = new Map(
    objects
      .filter((o) => o.kind === 'ScaledObject')
      .map((o) => [o.spec?.scaleTargetRef?.name, o.metadata?.name]),
  );
  for (const [target, scaler] of scaled) {
    if (!objects.some((o) => o.kind === 'Deployment' && o.metadata?.name === target)) {
      errors.push(`ScaledObject/${scaler}: scaleTargetRef names no Deployment in this set (${target})`);
    }
  }
  for (const o of objects) {
    const template = podTemplate(o);
    if (!template) continue;
    const where = id(o);
    const pod = template.spec ?? {};
    const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
    if ((pod.containers ?? []).length === 0) errors.push(`${where}: no containers`);
    for (const c of containers) {
      const at = `${where} container ${c.name ?? '<no name>'}`;
      if (typeof c.image !== 'string' || c.image.trim() === '') errors.push(`${at}: no image`);
      for (const field of ['requests.cpu', 'requests.memory', 'limits.memory']) {
        const [group, res] = field.split('.');
        if (c.resources?.[group]?.[res] === undefined) errors.push(`${at}: resources.${field} not set`);
      }
      const runAsNonRoot = c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
      if (runAsNonRoot !== true) errors.push(`${at}: runAsNonRoot must be true`);
      if (c.securityContext?.allowPrivilegeEscalation !== false)
        errors.push(`${at}: allowPrivilegeEscalation must be false`);
      if (c.securityContext?.readOnlyRootFilesystem !== true)
        errors.push(`${at}: readOnlyRootFilesystem must be true`);
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef?.name;
        if (ref && !secrets.has(ref))
          errors.push(`${at}: env ${e.name} reads secret ${ref}, which nothing creates`);
        const cm = e.valueFrom?.configMapKeyRef?.name;
        if (cm && !configMaps.has(cm))
          errors.push(`${at}: env ${e.name} reads configmap ${cm}, which nothing creates`);
      }
      for (const src of c.envFrom ?? []) {
        if (src.secretRef?.name && !secrets.has(src.secretRef.name))
          errors.push(`${at}: envFrom secret ${src.secretRef.name}, which nothing creates`);
        if (src.configMapRef?.name && !configMaps.has(src.configMapRef.name)) {
          errors.push(`${at}: envFrom configmap ${src.configMapRef.name}, which nothing creates`);
        }
      }
    }
    for (const v of pod.volumes ?? []) {
      if (v.secret?.secretName && !secrets.has(v.secret.secretName))
        errors.push(`${where}: volume ${v.name} mounts secret ${v.secret.secretName}, which nothing creates`);
      if (v.configMap?.name && !configMaps.has(v.configMap.name))
        errors.push(`${where}: volume ${v.name} mounts configmap ${v.configMap.name}, which nothing creates`);
    }
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
      const labels = template.metadata?.labels ?? {};
      const covered = objects.some(
        (p) =>
          p.kind === 'PodDisruptionBudget' &&
          p.spec?.selector?.matchLabels &&
          matches(p.spec.selector.matchLabels, labels),
      );
      if (!covered) errors.push(`${where}: no PodDisruptionBudget selects its pods`);
    }
    // a partitioned agent: pod n of AGENT_INSTANCES owns the LOGS partitions k ≡ n (mod AGENT_INSTANCES), so fewer pods
    // leave partitions unread and more read nothing
    const instances = (pod.containers ?? []).flatMap((c) => c.env ?? []).find((e) => e.name === 'AGENT_INSTANCES');
    if (instances && String(o.spec?.replicas ?? 1) !== String(instances.value)) {
      errors.push(
        `${where}: replicas (${o.spec?.replicas ?? 1}) must equal AGENT_INSTANCES (${instances.value}), or partitions go unread`,
      );
    }
    if (instances && o.kind === 'Deployment') {
      errors.push(`${where}: sets AGENT_INSTANCES, so it must be a StatefulSet (the pod ordinal is AGENT_INSTANCE_INDEX)`);
    }
    if (o.kind === 'Deployment' && scaled.has(o.metadata?.name) && o.spec?.replicas !== undefined) {
      errors.push(
        `${where}: scaled by ScaledObject/${scaled.get(o.metadata.name)}, so it must not set spec.replicas (each apply would reset it)`,
      );
    }
  }
  return errors;
}

/**
 * kustomize folds long base64 values over several lines; the API server's decoder skips those line breaks (Go's
 * base64 ignores \r and \n), so the schema's base64 check sees them without.
 */
function secretAsSent(o) {
  if (!o.data || typeof o.data !== 'object') return o;
  const data = Object.fromEntries(
    Object.entries(o.data).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[\r\n]/g, '') : v]),
  );
  return { ...o, data };
}

/** Every problem found in `objects` (empty = valid), each naming the object. */
export async function validateObjects(objects) {
  const errors = [];
  for (const o of objects) {
    if (typeof o !== 'object' || Array.isArray(o)) {
      errors.push(`not an object: ${JSON.stringify(o).slice(0, 80)}`);
      continue;
    }
    const model = MODELS[`${o.apiVersion}/${o.kind}`];
    if (!model) {
      errors.push(
        `${id(o)}: no model for ${o.apiVersion}/${o.kind} (unknown kinds fail: add its model to deploy/src/k8s-validate.mjs)`,
      );
      continue;
    }
    if (!o.metadata?.name) errors.push(`${id(o)}: metadata.name missing`);
    const [module, name] = model;
    const Model = (await import(module))[name];
    try {
      new Model(o.kind === 'Secret' ? secretAsSent(o) : o).validate();
    } catch (e) {
      errors.push(`${id(o)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  errors.push(
    ...policyErrors(objects.filter((o) => typeof o === 'object' && o !== null && !Array.isArray(o))),
  );
  return errors;
}

/** Counts per kind, for the summary line. */
export function kindCounts(objects) {
  const counts = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}
