import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { LogLensClient } from '@loglens/client';
import { registerResources } from './resources';
import { registerTools, type ToolOptions } from './tools';

export const SERVER_NAME = 'loglens';
export const SERVER_VERSION = '0.1.0';

/** One MCP server (one per session: the SDK binds a server to one transport) over the gateway client. */
export function createServer(client: LogLensClient, options: ToolOptions): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION, title: 'LogLens' },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        'LogLens detects anomalies in logs with ONNX models. Use list_models first; analyze_logs scores log lines now; recent_anomalies reads what the running agents found; explain_window says why. deploy_version and rollback change production: ask the user, then call them with confirm: true. Model cards are resources at loglens://models/{name}.',
    },
  );
  registerTools(server, client, options);
  registerResources(server, client);
  return server;
}
