/**
 * Every subject map of libs/contracts/src/lib/subjects.ts as data: map, key, subject, kind and the TypeScript types
 * that travel on it, read from the source (the `rpc<Req, Rep>()` / `event<P>()` type arguments exist only at compile
 * time), and who sends and who receives each subject, read from the call sites in apps/ and libs/.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface CatalogEntry {
  /** `RegistrySubjects` */
  map: string;
  /** `listModels` */
  key: string;
  /** the bare subject, `registry.model.list.v1` */
  subject: string;
  /** rpc: request/reply (scatter-gather too); event: broadcast or JetStream; raw: plain bytes or a prefix */
  kind: 'rpc' | 'event' | 'raw';
  /** rpc: [request, reply]; event: [payload] — the type arguments as written */
  types: string[];
  /** identifiers the type arguments name (to import them) */
  typeNames: string[];
  description?: string;
}

export const SUBJECTS_FILE = 'libs/contracts/src/lib/subjects.ts';

export function readCatalog(root = process.cwd()): CatalogEntry[] {
  const file = path.join(root, SUBJECTS_FILE);
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const entries: CatalogEntry[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    for (const decl of stmt.declarationList.declarations) {
      const init = decl.initializer;
      if (!ts.isIdentifier(decl.name) || !init || !ts.isCallExpression(init) || init.expression.getText(sf) !== 'namespaced') continue;
      const obj = init.arguments[0];
      if (!obj || !ts.isObjectLiteralExpression(obj)) continue;
      for (const prop of obj.properties) {
        if (!ts.isPropertyAssignment(prop)) continue;
        const key = prop.name.getText(sf);
        const description = ts
          .getJSDocCommentsAndTags(prop)
          .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
          .join(' ')
          .trim() || undefined;
        const value = prop.initializer;
        if (ts.isStringLiteral(value)) {
          entries.push({ map: decl.name.text, key, subject: value.text, kind: 'raw', types: [], typeNames: [], description });
          continue;
        }
        // rpc<Req, Rep>()('subject') / event<P>()('subject')
        if (!ts.isCallExpression(value) || !ts.isCallExpression(value.expression)) throw new Error(`${decl.name.text}.${key}: not rpc<…>()(…) / event<…>()(…)`);
        const inner = value.expression;
        const kind = inner.expression.getText(sf);
        const literal = value.arguments[0];
        if ((kind !== 'rpc' && kind !== 'event') || !literal || !ts.isStringLiteral(literal)) throw new Error(`${decl.name.text}.${key}: unknown subject form`);
        const args = inner.typeArguments ?? [];
        const typeNames = new Set<string>();
        const visit = (n: ts.Node) => {
          if (ts.isTypeReferenceNode(n)) typeNames.add(n.typeName.getText(sf));
          ts.forEachChild(n, visit);
        };
        args.forEach(visit);
        entries.push({ map: decl.name.text, key, subject: literal.text, kind, types: args.map((a) => a.getText(sf)), typeNames: [...typeNames], description });
      }
    }
  }
  return entries;
}

export interface Participants {
  senders: string[];
  receivers: string[];
}

const SEND = /(?:\bcall|\brequest|\bpublish|\bscatterGather|\bchange|\blifecycle)$/;
const RECEIVE = /(?:HandlesRpc|\bsubscribe|\bconsume|\bconsumer|\bqueue)$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/**
 * Who sends and who receives each `Map.key`, from the non-test sources of every app and library: `call(`,
 * `publish(`, `request(` … send; `@HandlesRpc(`, `subscribe(` … receive. A library is named as itself
 * (`lib:agent-runtime`) rather than guessed into the apps that use it.
 */
export function readParticipants(root = process.cwd()): Map<string, Participants> {
  const found = new Map<string, { senders: Set<string>; receivers: Set<string> }>();
  const pattern = /([A-Za-z@.]+)\(\s*([A-Z][A-Za-z]*Subjects)\.([A-Za-z]+)/g;
  for (const group of ['apps', 'libs']) {
    for (const project of readdirSync(path.join(root, group)).sort()) {
      const src = path.join(root, group, project, 'src');
      if (project.endsWith('-e2e') || project === 'contracts' || project === 'contract-docs' || project === 'testing') continue;
      let files: string[];
      try {
        files = sourceFiles(src);
      } catch {
        continue;
      }
      const who = group === 'apps' ? project : `lib:${project}`;
      for (const file of files) {
        for (const m of readFileSync(file, 'utf8').matchAll(pattern)) {
          const id = `${m[2]}.${m[3]}`;
          const entry = found.get(id) ?? { senders: new Set(), receivers: new Set() };
          found.set(id, entry);
          if (SEND.test(m[1])) entry.senders.add(who);
          else if (RECEIVE.test(m[1])) entry.receivers.add(who);
        }
      }
    }
  }
  return new Map([...found].map(([id, p]) => [id, { senders: [...p.senders].sort(), receivers: [...p.receivers].sort() }]));
}
