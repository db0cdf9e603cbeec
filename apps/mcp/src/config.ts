import path from 'node:path';

export const DEFAULT_GATEWAY = 'http://127.0.0.1:3000';
export const DEFAULT_HTTP_HOST = '127.0.0.1';

export interface McpOptions {
  gateway: string;
  apiKey?: string;
  /** streamable HTTP instead of stdio */
  http: boolean;
  host: string;
  /** 0: a free port (printed on stderr) */
  port: number;
  /** folders analyze_logs may read files from (resolved); the working directory unless configured */
  fileRoots: string[];
}

export class UsageError extends Error {}

export const USAGE = `loglens-mcp: the LogLens MCP server (docs/mcp.md)

usage: loglens-mcp [--gateway <url>] [--file-root <dir>]... [--http [--port <n>] [--host <addr>]]

  --gateway <url>   the LogLens gateway (default: $LOGLENS_GATEWAY, else ${DEFAULT_GATEWAY})
  --file-root <dir> a folder analyze_logs may read log files from; repeatable (default: $LOGLENS_MCP_FILE_ROOTS,
                    folders separated by "${path.delimiter}", else the working directory)
  --http            serve streamable HTTP on /mcp instead of stdio
  --port <n>        HTTP port (default 3333; 0 picks a free one)
  --host <addr>     HTTP bind address (default ${DEFAULT_HTTP_HOST}; only loopback Origins are accepted either way)
  -h, --help        this text

The API key comes from $LOGLENS_API_KEY (never from the command line: it would show in ps).`;

/** Flags, then the environment (LOGLENS_GATEWAY, LOGLENS_API_KEY, as the CLI reads them), then defaults. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): McpOptions | 'help' {
  const opts: McpOptions = {
    gateway: env['LOGLENS_GATEWAY'] || DEFAULT_GATEWAY,
    ...(env['LOGLENS_API_KEY'] ? { apiKey: env['LOGLENS_API_KEY'] } : {}),
    http: false,
    host: DEFAULT_HTTP_HOST,
    port: 3333,
    fileRoots: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '-h':
      case '--help':
        return 'help';
      case '--http':
        opts.http = true;
        break;
      case '--gateway':
        opts.gateway = value();
        break;
      case '--file-root':
        opts.fileRoots.push(path.resolve(value()));
        break;
      case '--host':
        opts.host = value();
        break;
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, not "${v}"`);
        opts.port = n;
        break;
      }
      default:
        throw new UsageError(`unknown option "${arg}" (see --help)`);
    }
  }
  if (opts.fileRoots.length === 0) {
    const fromEnv = (env['LOGLENS_MCP_FILE_ROOTS'] ?? '').split(path.delimiter).filter((d) => d !== '');
    opts.fileRoots = fromEnv.length ? fromEnv.map((d) => path.resolve(d)) : [process.cwd()];
  }
  try {
    const u = new URL(opts.gateway);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new UsageError(`the gateway must be an http(s) URL, not "${opts.gateway}"`);
  }
  return opts;
}
