/**
 * The URL of a gateway's SSE stream for an API key, as a browser opens it: the key buys a short-lived token
 * (POST /api/v1/auth/tokens), and the token goes in the URL (keys never do).
 */
export async function eventsUrl(base: string, apiKey: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/tokens`, { method: 'POST', headers: { 'x-api-key': apiKey } });
  if (res.status !== 201) throw new Error(`POST /api/v1/auth/tokens answered ${res.status}: ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return `${base}/api/v1/events?token=${encodeURIComponent(token)}`;
}
