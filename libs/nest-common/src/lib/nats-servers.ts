/** The servers of a NATS_URL: one URL, or a cluster's URLs comma-separated (clients fail over between them). */
export function natsServers(url: string): string[] {
  return url
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
}
