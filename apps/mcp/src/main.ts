import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { LogLensClient } from '@loglens/client';
import { parseArgs, USAGE, UsageError } from './config';
import { serveHttp } from './http';
import { createServer } from './server';

/** stdout belongs to the protocol on stdio: everything for people goes to stderr. */
function log(line: string): void {
  process.stderr.write(`loglens-mcp: ${line}\n`);
}

async function main(): Promise<number | undefined> {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2), process.env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    log(e.message);
    return 1;
  }
  if (opts === 'help') {
    process.stderr.write(USAGE + '\n');
    return 0;
  }
  const client = new LogLensClient({ baseUrl: opts.gateway, ...(opts.apiKey ? { apiKey: opts.apiKey } : {}) });
  if (!opts.apiKey) log('LOGLENS_API_KEY is not set: the gateway will refuse every call that needs a key');

  if (!opts.http) {
    const server = createServer(client, { fileRoots: opts.fileRoots });
    await server.connect(new StdioServerTransport());
    log(`serving MCP on stdio for the gateway at ${opts.gateway}`);
    return undefined;
  }
  const http = await serveHttp(client, { fileRoots: opts.fileRoots }, opts.host, opts.port);
  // the line a supervisor (or a spec) waits for, with the port actually bound
  log(`listening on ${http.url} for the gateway at ${opts.gateway}`);
  const stop = (): void => {
    void http.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (e: unknown) => {
    log((e as Error).message ?? String(e));
    process.exitCode = 1;
  },
);
