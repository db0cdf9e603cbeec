/** `@loglens/testing/workspace`: the workspace root alone, for long-running tools that should not load the rest. */
export { workspaceRoot } from './lib/workspace';
