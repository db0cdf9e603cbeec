// Runs the embedded Postgres (PGlite over the wire protocol) as its own process for `npm start`, so its log
// lines carry their own prefix and a busy WASM backend never stalls the launcher.
// Prints `READY <url>` once it accepts connections.
import { startEmbeddedPostgres } from '@loglens/dev-infra';

async function main(): Promise<void> {
  const args = new Map<string, string>();
  for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
  const pg = await startEmbeddedPostgres({
    dataDir: args.get('data'),
    preferredPort: Number(args.get('port') ?? 5432),
  });
  console.log(`READY ${pg.url}`);
  const stop = () => {
    void pg.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

main().catch((e: unknown) => {
  console.error(`embedded postgres failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
