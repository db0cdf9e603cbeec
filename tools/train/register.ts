// Uploads a trained model through the gateway's model-management API and optionally deploys it: the same calls an
// operator makes, so registration goes through the registry's validation (static checks + a test inference).
import type { DeployVersionReply, RegisterVersionReply, SourceBindingDto, ValidationReportDto } from '@loglens/contracts';

export interface RegisterOptions {
  gatewayUrl: string;
  apiKey: string;
  name: string;
  onnx: Uint8Array;
  metadata: Record<string, unknown>;
  deploy: boolean;
  reason?: string;
}

export interface RegisterOutcome {
  ref: string;
  duplicateOf: string | null;
  validation: ValidationReportDto['outcome'] | null;
  deployed: DeployVersionReply | null;
}

/** POST /model-management/models/{name}/versions (multipart `model` + `metadata`), then POST /model-management/{ref}/deploy. */
export async function registerModel(o: RegisterOptions): Promise<RegisterOutcome> {
  const base = o.gatewayUrl.replace(/\/+$/, '');
  const headers = { 'x-api-key': o.apiKey };
  const form = new FormData();
  // a copy backed by a plain ArrayBuffer: Blob refuses views that may sit on a SharedArrayBuffer
  form.append('model', new Blob([Uint8Array.from(o.onnx)], { type: 'application/octet-stream' }), 'model.onnx');
  form.append('metadata', JSON.stringify(o.metadata));
  const uploaded = await call<RegisterVersionReply & { validation: ValidationReportDto | null }>(
    `${base}/model-management/models/${encodeURIComponent(o.name)}/versions`,
    { method: 'POST', headers, body: form },
  );
  const ref = uploaded.version.ref;
  let deployed: DeployVersionReply | null = null;
  if (o.deploy) {
    deployed = await call<DeployVersionReply>(`${base}/model-management/${ref}/deploy`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: o.reason ?? 'trained by npm run train' }),
    });
  }
  return { ref, duplicateOf: uploaded.duplicateOf, validation: uploaded.validation?.outcome ?? null, deployed };
}

/** PUT /model-management/sources/{source} { model }: the agents score the source with the model's serving version. */
export async function bindSource(o: { gatewayUrl: string; apiKey: string; source: string; model: string }): Promise<SourceBindingDto> {
  const base = o.gatewayUrl.replace(/\/+$/, '');
  return call<SourceBindingDto>(`${base}/model-management/sources/${encodeURIComponent(o.source)}`, {
    method: 'PUT',
    headers: { 'x-api-key': o.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ model: o.model }),
  });
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    // undici reports an unreachable host as a bare "fetch failed" and keeps the reason in `cause`
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
    throw new Error(`${init.method ?? 'GET'} ${url}: ${cause}`);
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${res.statusText}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}
