/** Stops what the integration setup started (nothing, when NATS_URL / DATABASE_URL were given). */
export default async function integrationTeardown(): Promise<void> {
  const infra = globalThis.__loglensInfra;
  await infra?.postgres?.stop();
  await infra?.nats?.stop();
}
