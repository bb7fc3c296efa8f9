/**
 * The house's import graph, read from the TypeScript AST: every relative `import`, `import type`,
 * `export … from` and `import()` of every `.ts` file under a folder, and the rules the house keeps
 * (ranks, no cycles, adapters and shared parts built only in `app/`). Used by `test/house.test.ts`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import of one file: where it points, on which line, and how. */
export interface ImportEdge {
  from: string;
  to: string;
  line: number;
  kind: 'static' | 'type' | 'dynamic';
}

/** A call of a named function, with where it stands (for the "built only in app/" rule). */
export interface CallSite {
  file: string;
  name: string;
  line: number;
}

export interface SourceGraph {
  /** Repository-relative paths with `/` separators, e.g. `src/app/service.ts`. */
  files: string[];
  edges: ImportEdge[];
  /** Imports of packages (bare specifiers such as `kafkajs`, `node:fs`). */
  packages: ImportEdge[];
  calls: CallSite[];
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTs(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const posix = (p: string) => p.split(sep).join('/');

/** Reads every `.ts` file under `root/src` (or `folder`) and its relative imports and calls. */
export function readSourceGraph(root: string, folder = 'src'): SourceGraph {
  const files = listTs(join(root, folder));
  const edges: ImportEdge[] = [];
  const packages: ImportEdge[] = [];
  const calls: CallSite[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const from = posix(relative(root, file));
    const lineOf = (n: ts.Node) => source.getLineAndCharacterOfPosition(n.getStart(source)).line + 1;
    const add = (spec: ts.Expression | undefined, node: ts.Node, kind: ImportEdge['kind']) => {
      if (!spec || !ts.isStringLiteralLike(spec)) return;
      if (!spec.text.startsWith('.')) {
        packages.push({ from, to: spec.text, line: lineOf(node), kind });
        return;
      }
      const target = resolve(dirname(file), spec.text).replace(/\.js$/, '.ts');
      const to = existsSync(target) ? target : join(target.replace(/\.ts$/, ''), 'index.ts');
      edges.push({ from, to: posix(relative(root, to)), line: lineOf(node), kind });
    };
    const visit = (n: ts.Node): void => {
      if (ts.isImportDeclaration(n)) {
        const typeOnly =
          n.importClause?.isTypeOnly ||
          (n.importClause?.namedBindings &&
            ts.isNamedImports(n.importClause.namedBindings) &&
            !n.importClause.name &&
            n.importClause.namedBindings.elements.length > 0 &&
            n.importClause.namedBindings.elements.every((e) => e.isTypeOnly));
        add(n.moduleSpecifier, n, typeOnly ? 'type' : 'static');
      } else if (ts.isExportDeclaration(n)) {
        add(n.moduleSpecifier, n, n.isTypeOnly ? 'type' : 'static');
      } else if (ts.isCallExpression(n)) {
        if (n.expression.kind === ts.SyntaxKind.ImportKeyword) add(n.arguments[0], n, 'dynamic');
        else if (ts.isIdentifier(n.expression))
          calls.push({ file: from, name: n.expression.text, line: lineOf(n) });
      } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) {
        add(n.argument.literal as ts.Expression, n, 'type');
      }
      ts.forEachChild(n, visit);
    };
    visit(source);
  }
  return { files: files.map((f) => posix(relative(root, f))), edges, packages, calls };
}

/**
 * The ranks of the rooms, bottom to top (README "Project layout"). A file may
 * import its own rank or a lower one, never a higher one, and never in a cycle.
 */
export const ranks: readonly (readonly string[])[] = [
  ['domain', 'errors.ts'],
  ['config', 'lib', 'observability'],
  ['store', 'bus', 'wix'],
  ['webhooks', 'consumers', 'handlers', 'calls'],
  ['api.ts', 'agents', 'sandbox'],
  ['builtin', 'http', 'console', 'mcp'],
  ['app'],
  ['cli', 'testing', 'index.ts'],
];

/** The room of a `src/` file: its first folder, or the file's name for a file at the top. */
export function roomOf(file: string): string {
  const parts = file.replace(/^src\//, '').split('/');
  return parts[0]!;
}

/** The rank of a file (0 = bottom), or undefined when its room is not ranked. */
export function rankOf(file: string): number | undefined {
  const room = roomOf(file);
  const rank = ranks.findIndex((floor) => floor.includes(room));
  return rank < 0 ? undefined : rank;
}

/** Every import that points to a higher rank, and every file in a room that has no rank. */
export function upwardImports(graph: Pick<SourceGraph, 'files' | 'edges'>): string[] {
  const problems: string[] = [];
  for (const file of graph.files) {
    if (rankOf(file) === undefined) problems.push(`${file}: room '${roomOf(file)}' has no rank`);
  }
  for (const e of graph.edges) {
    const from = rankOf(e.from);
    const to = rankOf(e.to);
    if (from === undefined || to === undefined) continue;
    if (to > from) {
      problems.push(
        `${e.from}:${e.line} imports ${e.to} (${e.kind}): '${roomOf(e.to)}' (rank ${to}) is above '${roomOf(e.from)}' (rank ${from})`,
      );
    }
  }
  return problems;
}

/** The strongly connected components of more than one file (Tarjan), each sorted. */
export function cycles(graph: Pick<SourceGraph, 'edges'>): string[][] {
  const out = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (!out.has(e.from)) out.set(e.from, []);
    out.get(e.from)!.push(e.to);
  }
  let i = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const strong = (v: string) => {
    index.set(v, i);
    low.set(v, i++);
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      // A file importing itself is a cycle too.
      if (component.length > 1 || (out.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of out.keys()) if (!index.has(v)) strong(v);
  return found;
}
