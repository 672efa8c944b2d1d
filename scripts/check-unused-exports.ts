// Lists every export of the project's modules that no other module imports, as
// "file: name", and exits 1 when there is one. An export only tests import
// counts as used when its module uses it too (a pure function exported so its
// test can reach it); when nothing but a test uses it, it is dead code that a
// test keeps alive, and it is listed.
//
//   node scripts/check-unused-exports.ts
import ts from 'typescript';
import { moduleExports, parseModule, projectFiles, relativeImports } from './modules.ts';

/** Exports a runner reads by file path, not by import: cucumber loads a formatter's and a plugin's default export. */
const LOADED_BY_PATH = [/^formatters\/[^/]+\.ts: default$/, /^support\/run-plan\.ts: default$/];

const isTest = (file: string) => file.startsWith('test/');

/** Whether the module mentions the name anywhere besides its declaration. */
function usedInside(sf: ts.SourceFile, local: string, declaredAt: ts.Node | undefined): boolean {
  let used = false;
  const visit = (node: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(node) && node.text === local && node !== declaredAt && !ts.isExportSpecifier(node.parent)) used = true;
    else ts.forEachChild(node, visit);
  };
  visit(sf);
  return used;
}

export function unusedExports(): string[] {
  const files = projectFiles();
  const sources = new Map(files.map((f) => [f, parseModule(f)]));
  // What each module's exports are imported as, by code and by tests.
  const importedBy = { code: new Map<string, Set<string>>(), test: new Map<string, Set<string>>() };
  for (const [file, sf] of sources) {
    const into = isTest(file) ? importedBy.test : importedBy.code;
    for (const imp of relativeImports(sf)) {
      const names = into.get(imp.target) ?? new Set<string>();
      for (const n of imp.names) names.add(n);
      into.set(imp.target, names);
    }
  }
  const has = (map: Map<string, Set<string>>, file: string, name: string) => map.get(file)?.has(name) || map.get(file)?.has('*');
  const found: string[] = [];
  for (const [file, sf] of sources) {
    if (isTest(file)) continue;
    for (const e of moduleExports(sf)) {
      const id = `${file}: ${e.name}`;
      if (LOADED_BY_PATH.some((re) => re.test(id)) || has(importedBy.code, file, e.name)) continue;
      const inside = e.local !== undefined && usedInside(sf, e.local, e.declaredAt);
      if (has(importedBy.test, file, e.name)) {
        if (!inside) found.push(`${id} (only tests use it)`);
      } else found.push(inside ? `${id} (used only inside its module: drop the export)` : id);
    }
  }
  return found;
}

if (import.meta.main) {
  const found = unusedExports();
  if (found.length === 0) {
    process.stdout.write('no unused exports\n');
  } else {
    process.stdout.write(`${found.length} export(s) nothing else imports:\n${found.map((f) => `  ${f}\n`).join('')}`);
    process.exitCode = 1;
  }
}
