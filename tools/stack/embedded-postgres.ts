// Runs the embedded Postgres (PGlite over the wire protocol) as its own process for `npm start`, so its log
// lines carry their own prefix and a busy WASM backend never stalls the launcher.
// Prints `READY <url>` once it accepts connections.
// An empty data folder is initialised (initdb) by a child process first (`--init-only`): initdb leaves PGlite's WASM
// memory at ~700 MB, which never shrinks, so the serving process only ever opens an existing folder (~150 MB).
import { spawnSync } from 'node:child_process';
import { embeddedPostgresInitialized, initEmbeddedPostgres, startEmbeddedPostgres } from '@loglens/dev-infra/embedded-postgres';

async function main(): Promise<void> {
  const args = new Map<string, string>();
  for (let i = 2; i < process.argv.length; i++) {
    const name = process.argv[i].replace(/^--/, '');
    if (name === 'init-only') args.set(name, '1');
    else args.set(name, process.argv[++i]);
  }
  const dataDir = args.get('data');
  if (args.has('init-only')) {
    if (!dataDir) throw new Error('--init-only needs --data <folder>');
    await initEmbeddedPostgres(dataDir);
    return;
  }
  if (dataDir && !embeddedPostgresInitialized(dataDir)) {
    console.log(`initialising a new database in ${dataDir} (first start only)…`);
    // process.argv[1]: this script (as tools/ts-run.mjs built it), run again
    const init = spawnSync(process.execPath, [process.argv[1], '--init-only', '--data', dataDir], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (init.status !== 0) throw new Error(`initialising ${dataDir} failed (${init.signal ?? `exit code ${init.status}`})`);
  }
  const pg = await startEmbeddedPostgres({
    dataDir,
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
