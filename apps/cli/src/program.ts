import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { LogLensClient, LogRecordsError, parseLogRecords } from '@loglens/client';
import { EXPERIMENT_ACTIONS, TRAIN_ALGORITHMS, type CreateExperimentRequest, type TrainAlgorithm, type DeployVersionReply, type LogRecordInput, type PredictReply, type PredictRow } from '@loglens/contracts';
import { CONFIG_KEYS, configPath, readConfig, resolveConnection, writeConfig, type CliConfig } from './config';
import { EXIT, UsageError } from './exit-codes';
import { print, progressBar, spinner, type OutputFormat } from './output';
import { completionScript } from './completion';

interface GlobalOptions {
  gateway?: string;
  output: OutputFormat;
}

/** The `loglens` command tree. `io.stdin` reads `-` inputs (tests pass their own). */
export function buildProgram(io: { readStdin: () => string } = { readStdin: () => readFileSync(0, 'utf8') }): Command {
  const program = new Command('loglens')
    .description('LogLens from the command line: models, deploys, predictions, log analysis, experiments, events')
    .addOption(new Option('-g, --gateway <url>', 'gateway base URL (env LOGLENS_GATEWAY, config "gateway"; default http://127.0.0.1:3000)'))
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nAPI key: env LOGLENS_API_KEY, or `loglens login` (stored 0600 in ~/.config/loglens/config.json).\nExit codes: 0 ok, 1 usage, 2 API refused (4xx), 3 API failed (5xx) or unreachable, 4 negative verdict.');

  const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();
  const client = (cmd: Command) => new LogLensClient({ baseUrl: resolveConnection(globals(cmd)).gateway, ...keyOf(cmd) });
  const keyOf = (cmd: Command) => {
    const { apiKey } = resolveConnection(globals(cmd));
    return apiKey ? { apiKey } : {};
  };
  const out = (cmd: Command) => globals(cmd).output;

  // ---- config
  program
    .command('login')
    .description('store the API key (and gateway URL) in the config file, after checking them with the gateway')
    .requiredOption('-k, --key <key>', 'API key')
    .action(async (opts: { key: string }, cmd: Command) => {
      const gateway = resolveConnection(globals(cmd)).gateway;
      const who = await new LogLensClient({ baseUrl: gateway, apiKey: opts.key }).whoami();
      writeConfig({ ...readConfig(), gateway, apiKey: opts.key });
      process.stderr.write(`logged in to ${gateway} as ${who.name} (${who.role}); saved to ${configPath()}\n`);
    });
  const config = program.command('config').description('read or change the config file');
  config
    .command('set')
    .description(`set a config value (${CONFIG_KEYS.join(', ')})`)
    .argument('<key>', CONFIG_KEYS.join(' | '))
    .argument('<value>')
    .action((key: string, value: string) => {
      if (!(CONFIG_KEYS as readonly string[]).includes(key)) throw new UsageError(`unknown config key "${key}": one of ${CONFIG_KEYS.join(', ')}`);
      writeConfig({ ...readConfig(), [key]: value } as CliConfig);
    });
  config
    .command('show')
    .description('print the config (the key masked)')
    .action((_opts: unknown, cmd: Command) => {
      const c = readConfig();
      print(out(cmd), { path: configPath(), ...c, ...(c.apiKey ? { apiKey: `${c.apiKey.slice(0, 4)}…` } : {}) });
    });

  // ---- models
  const models = program.command('models').description('model versions: list, inspect, upload, validate, deploy, roll back, alias, archive');
  models
    .command('list')
    .description('every model with its serving version, aliases and version count')
    .action(async (_opts: unknown, cmd: Command) => {
      const reply = await client(cmd).listModels();
      print(out(cmd), reply, {
        columns: ['name', 'task', 'serving', 'versions', 'aliases'],
        rows: reply.models.map((m) => ({ name: m.name, task: m.task, serving: m.servingVersion, versions: m.versions.length, aliases: Object.entries(m.aliases).map(([a, v]) => `${a}=${v}`) })),
      });
    });
  models
    .command('show')
    .description('one version’s details')
    .argument('<ref>', 'name@N, name@latest, name@alias or a bare name')
    .action(async (ref: string, _opts: unknown, cmd: Command) => print(out(cmd), await client(cmd).getVersion(ref)));
  models
    .command('upload')
    .description('upload an ONNX file as a new version (validated on arrival)')
    .argument('<name>', 'model name')
    .argument('<file>', 'ONNX model file')
    .option('--scaler <file>', 'scaler file sent with the model')
    .option('--metadata <json>', 'metadata JSON object (task, description, threshold, …)')
    .action(async (name: string, file: string, opts: { scaler?: string; metadata?: string }, cmd: Command) => {
      const model = readInput(file, io);
      const bar = progressBar(`uploading ${file}`);
      try {
        const reply = await client(cmd).upload(name, {
          model,
          ...(opts.scaler ? { scaler: readInput(opts.scaler, io) } : {}),
          ...(opts.metadata ? { metadata: parseJsonObject(opts.metadata, '--metadata') } : {}),
          onProgress: (p) => bar.update(p.sent, p.total),
        });
        bar.done();
        print(out(cmd), reply, { columns: ['version', 'duplicateOf'], rows: [reply as unknown as Record<string, unknown>] });
      } catch (e) {
        bar.done();
        throw e;
      }
    });
  models
    .command('validate')
    .description('run every validation check again; exit 4 when the version fails')
    .argument('<ref>', 'name@N')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const report = await client(cmd).validate(ref);
      print(out(cmd), report, { columns: ['check', 'outcome', 'message'], rows: report.checks as unknown as Array<Record<string, unknown>> });
      if (report.outcome === 'fail') process.exitCode = EXIT.verdict;
    });
  models
    .command('deploy')
    .description('make a version the serving version')
    .argument('<ref>', 'name@N')
    .option('--reason <text>', 'why (kept in the history)')
    .option('--expected-current <ref>', 'refuse (409) unless this version is serving now')
    .action(async (ref: string, opts: { reason?: string; expectedCurrent?: string }, cmd: Command) => {
      const reply = await client(cmd).deploy(ref, opts);
      print(out(cmd), reply, { columns: ['model', 'from', 'to', 'at'], rows: [deployRow(reply)] });
    });
  models
    .command('rollback')
    .description('serve the previous serving version again (or --to)')
    .argument('<model>', 'model name')
    .option('--to <ref>', 'version to serve instead of the previous one')
    .option('--reason <text>', 'why (kept in the history)')
    .option('--expected-current <ref>', 'refuse (409) unless this version is serving now')
    .action(async (model: string, opts: { to?: string; reason?: string; expectedCurrent?: string }, cmd: Command) => {
      const reply = await client(cmd).rollback({ model, ...opts });
      print(out(cmd), reply, { columns: ['model', 'from', 'to', 'at'], rows: [deployRow(reply)] });
    });
  models
    .command('alias')
    .description('point an alias at a version, or remove it with --delete')
    .argument('<model>', 'model name')
    .argument('<alias>', 'alias (production, staging, champion, …)')
    .argument('[version]', 'N or name@N (omit with --delete)')
    .option('--delete', 'remove the alias')
    .option('--reason <text>', 'why (kept in the history)')
    .action(async (model: string, alias: string, version: string | undefined, opts: { delete?: boolean; reason?: string }, cmd: Command) => {
      if (!opts.delete && !version) throw new UsageError('give the version the alias points at, or --delete');
      const reply = opts.delete ? await client(cmd).deleteAlias(model, alias) : await client(cmd).setAlias(model, alias, version as string, opts.reason ? { reason: opts.reason } : {});
      print(out(cmd), reply);
    });
  models
    .command('archive')
    .description('archive a version (never the serving one, nor one an alias points at)')
    .argument('<ref>', 'name@N')
    .action(async (ref: string, _opts: unknown, cmd: Command) => print(out(cmd), await client(cmd).archive(ref)));

  program
    .command('history')
    .description('serving and alias changes, newest first')
    .option('-m, --model <name>', 'only this model')
    .option('--from <iso>', 'since')
    .option('--to <iso>', 'until')
    .option('-n, --limit <n>', 'at most n entries', positiveInt)
    .action(async (opts: { model?: string; from?: string; to?: string; limit?: number }, cmd: Command) => {
      const reply = await client(cmd).history(opts);
      print(out(cmd), reply, { columns: ['at', 'model', 'action', 'alias', 'from', 'to', 'actor'], rows: reply.entries as unknown as Array<Record<string, unknown>> });
    });

  program
    .command('predict')
    .description('score rows with a model’s serving version (or a pinned version)')
    .option('-m, --model <name>', 'model name (its serving version answers)')
    .option('-v, --version <ref>', 'a pinned version, name@N')
    .requiredOption('-r, --rows <json|file|->', 'rows as JSON (array of arrays or objects), a JSON file, or - for stdin')
    .action(async (opts: { model?: string; version?: string; rows: string }, cmd: Command) => {
      if (!opts.model && !opts.version) throw new UsageError('give --model or --version');
      const rows = parseRows(opts.rows, io);
      const reply = await client(cmd).predict({ ...(opts.model ? { model: opts.model } : {}), ...(opts.version ? { version: opts.version } : {}), rows });
      print(out(cmd), reply, { columns: ['row', 'version', 'score', 'anomaly'], rows: predictionRows(reply) });
    });

  program
    .command('analyze')
    .description('analyze a file of log lines (or JSON records) now: windows with anomaly scores')
    .argument('<file>', 'log file (one record a line, or a JSON array), or - for stdin')
    .addOption(new Option('--agent <agent>', 'which agent analyzes').choices(['auto', 'base', 'wifi']).default('auto'))
    .option('--source <source>', 'source name the results are stored under')
    .option('--fail-on-anomaly', 'exit 4 when any window is anomalous')
    .action(async (file: string, opts: { agent: 'auto' | 'base' | 'wifi'; source?: string; failOnAnomaly?: boolean }, cmd: Command) => {
      const records = parseRecords(readInput(file, io).toString('utf8'));
      const stop = spinner(`analyzing ${records.length} records`);
      let reply;
      try {
        reply = await client(cmd).analyze(records, { agent: opts.agent, ...(opts.source ? { source: opts.source } : {}) });
      } finally {
        stop();
      }
      const windows = reply.windows as unknown as Array<Record<string, unknown>>;
      print(out(cmd), reply, { columns: Object.keys(windows[0] ?? { window: '' }).filter((k) => typeof windows[0]?.[k] !== 'object'), rows: windows });
      if (opts.failOnAnomaly && windows.some((w) => w['anomalous'] === true)) process.exitCode = EXIT.verdict;
    });

  program
    .command('results')
    .description('stored analysis results, newest first')
    .option('--source <source>', 'only this source')
    .addOption(new Option('--agent <agent>', 'only this agent').choices(['base', 'wifi']))
    .option('--from <iso>', 'since')
    .option('--to <iso>', 'until')
    .option('--anomalous', 'only anomalous windows')
    .option('-n, --limit <n>', 'at most n results', positiveInt)
    .action(async (opts: { source?: string; agent?: 'base' | 'wifi'; from?: string; to?: string; anomalous?: boolean; limit?: number }, cmd: Command) => {
      const reply = await client(cmd).results(opts);
      const rows = reply.results as unknown as Array<Record<string, unknown>>;
      print(out(cmd), reply, { columns: Object.keys(rows[0] ?? { result: '' }).filter((k) => typeof rows[0]?.[k] !== 'object'), rows });
    });

  program
    .command('events')
    .description('tail the gateway’s server-sent events (deploys, rollbacks, validations, alias moves) until interrupted')
    .option('--type <type...>', 'only these event types')
    .option('-n, --count <n>', 'stop after n events', positiveInt)
    .action(async (opts: { type?: string[]; count?: number }, cmd: Command) => {
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      let seen = 0;
      for await (const e of client(cmd).events(abort.signal)) {
        if (e.type === 'heartbeat' || (opts.type && !opts.type.includes(e.type))) continue;
        process.stdout.write(out(cmd) === 'json' ? JSON.stringify(e) + '\n' : `${new Date().toISOString()}  ${e.type}  ${JSON.stringify(e.data)}\n`);
        if (opts.count && ++seen >= opts.count) {
          abort.abort();
          break;
        }
      }
    });

  program
    .command('train')
    .description('train a per-source model as a job from the LOGS stream')
    .argument('<model>', 'model name')
    .requiredOption('-s, --sources <source...>', 'sources whose logs train it')
    .option('--from <iso>', 'logs since')
    .option('--to <iso>', 'logs until')
    .addOption(new Option('--algorithm <name>', 'training algorithm').choices([...TRAIN_ALGORITHMS]))
    .option('--deploy', 'deploy the trained version when it validates')
    .option('--bind', 'bind the sources to the model')
    .action(async (model: string, opts: { sources: string[]; from?: string; to?: string; algorithm?: TrainAlgorithm; deploy?: boolean; bind?: boolean }, cmd: Command) => {
      const job = await client(cmd).train(model, opts);
      print(out(cmd), job, { columns: ['id', 'state', 'model'], rows: [job as unknown as Record<string, unknown>] });
    });

  // ---- experiments
  const experiments = program.command('experiments').description('A/B, canary and shadow experiments on a model’s traffic');
  experiments
    .command('list')
    .description('experiments, newest first')
    .option('-m, --model <name>', 'only this model')
    .option('--state <state>', 'only this state')
    .action(async (opts: { model?: string; state?: string }, cmd: Command) => {
      const list = await client(cmd).listExperiments(opts);
      print(out(cmd), list, { columns: ['id', 'model', 'kind', 'state', 'createdAt'], rows: list as unknown as Array<Record<string, unknown>> });
    });
  experiments
    .command('show')
    .description('one experiment: arms and weights, state, steps')
    .argument('<id>')
    .action(async (id: string, _opts: unknown, cmd: Command) => print(out(cmd), await client(cmd).getExperiment(id)));
  experiments
    .command('create')
    .description('start an experiment from a JSON spec (see docs/experiments.md)')
    .requiredOption('-f, --spec <json|file|->', 'the spec: JSON, a JSON file, or - for stdin')
    .action(async (opts: { spec: string }, cmd: Command) => {
      const spec = parseJsonObject(jsonOrFile(opts.spec, io), '--spec') as unknown as CreateExperimentRequest;
      print(out(cmd), await client(cmd).createExperiment(spec));
    });
  for (const action of EXPERIMENT_ACTIONS) {
    experiments
      .command(action)
      .description(`${action} an experiment`)
      .argument('<id>')
      .option('--reason <text>', 'why (kept in the history)')
      .action(async (id: string, opts: { reason?: string }, cmd: Command) => print(out(cmd), await client(cmd).changeExperiment(id, action, opts)));
  }
  experiments
    .command('report')
    .description('per-arm statistics and a winner recommendation')
    .argument('<id>')
    .action(async (id: string, _opts: unknown, cmd: Command) => print(out(cmd), await client(cmd).experimentReport(id)));

  program
    .command('completion')
    .description('print a shell completion script: `source <(loglens completion bash)`')
    .addArgument(new Command().createArgument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .action((shell: 'bash' | 'zsh') => {
      process.stdout.write(completionScript(program, shell));
    });

  return program;
}

function deployRow(reply: DeployVersionReply): Record<string, unknown> {
  return { model: reply.model, from: reply.from, to: reply.to, at: reply.deployedAt };
}

function predictionRows(reply: PredictReply): Array<Record<string, unknown>> {
  return reply.scores.map((score, i) => ({ row: i, version: reply.modelVersion, score, anomaly: reply.isAnomaly?.[i] ?? '' }));
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function readInput(file: string, io: { readStdin: () => string }): Buffer {
  if (file === '-') return Buffer.from(io.readStdin(), 'utf8');
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

function jsonOrFile(value: string, io: { readStdin: () => string }): string {
  const t = value.trim();
  if (t.startsWith('{') || t.startsWith('[')) return t;
  return readInput(value, io).toString('utf8');
}

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

function parseRows(value: string, io: { readStdin: () => string }): PredictRow[] {
  let v: unknown;
  try {
    v = JSON.parse(jsonOrFile(value, io));
  } catch (e) {
    throw new UsageError(`--rows is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(v) || v.length === 0) throw new UsageError('--rows must be a non-empty JSON array of rows');
  return v as PredictRow[];
}

/** The client's parseLogRecords, its errors as usage errors (exit code 2). */
function parseRecords(text: string): LogRecordInput[] {
  try {
    return parseLogRecords(text);
  } catch (e) {
    if (e instanceof LogRecordsError) throw new UsageError(e.message);
    throw e;
  }
}
