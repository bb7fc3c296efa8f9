/**
 * Where the source names the store's tables: every string and template literal of every `.ts` file
 * under a folder, searched for table names (whole words), and the rule the house keeps with them (a
 * table is named only in its room). Used by `test/house.test.ts`. Comments are not read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** One table name in one literal: the file (repository-relative, `/` separators) and the line. */
export interface TableMention {
  file: string;
  line: number;
  table: string;
  /** The whole literal's text as written (without its quotes), to tell a name that is not SQL. */
  literal: string;
}

/** Where tables may be named: each table's room (a path prefix), and the files that may name any. */
export interface TableRooms {
  rooms: Readonly<Record<string, string>>;
  anyTable: readonly RegExp[];
  /** Literals that spell a table's name but are not SQL (an API's field or value), by file. */
  notSql?: readonly { file: string; literal: string }[];
}

const words = (tables: readonly string[]) => new RegExp(`\\b(${tables.join('|')})\\b`, 'g');

/** The table names in the string and template literals of one file's text. */
export function tableMentions(file: string, text: string, tables: readonly string[]): TableMention[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const pattern = words(tables);
  const found: TableMention[] = [];
  const visit = (n: ts.Node): void => {
    if (
      ts.isStringLiteral(n) ||
      ts.isNoSubstitutionTemplateLiteral(n) ||
      ts.isTemplateHead(n) ||
      ts.isTemplateMiddle(n) ||
      ts.isTemplateTail(n)
    ) {
      const start = n.getStart(source);
      const written = n.getText(source);
      for (const m of written.matchAll(pattern)) {
        const line = source.getLineAndCharacterOfPosition(start + m.index).line + 1;
        found.push({ file, line, table: m[1]!, literal: n.text });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return found;
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTs(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The table names in the literals of every `.ts` file under `root/folder`. */
export function readTableMentions(root: string, tables: readonly string[], folder = 'src'): TableMention[] {
  return listTs(join(root, folder)).flatMap((path) =>
    tableMentions(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'), tables),
  );
}

/** Every mention of a table outside its room (and outside the files that may name any), as `file:line`. */
export function misplacedTables(mentions: readonly TableMention[], where: TableRooms): string[] {
  return mentions.flatMap((m) => {
    const room = where.rooms[m.table];
    if (room === undefined || m.file.startsWith(room)) return [];
    if (where.anyTable.some((p) => p.test(m.file))) return [];
    if (where.notSql?.some((e) => e.file === m.file && e.literal === m.literal)) return [];
    return [`${m.file}:${m.line} names ${m.table}: the table belongs to ${room}`];
  });
}
