// The project's TypeScript modules and the relative imports between them, read
// with the compiler's own parser (no type checking, so it is fast and works on a
// tree that does not compile). Shared by the unused-exports check and the
// import-structure test, so both see the same graph.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../support/lib/paths.ts';

/** Every .ts file tsconfig.json includes, relative to the repository root. */
export function projectFiles(): string[] {
  const config = ts.readConfigFile(resolve(REPO_ROOT, 'tsconfig.json'), ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  return ts
    .parseJsonConfigFileContent(config.config, ts.sys, REPO_ROOT)
    .fileNames.map((f) => relative(REPO_ROOT, f))
    .sort();
}

export function parseModule(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(resolve(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

interface ModuleImport {
  /** The imported module, relative to the repository root. */
  target: string;
  /** Imported names; '*' when every export may be used (namespace import, export *, undestructured import()). */
  names: string[];
  /** import type / export type: no edge at run time, but still a dependency of the design. */
  typeOnly: boolean;
}

/** The imports of a module that name another file of the project (./ or ../), static and dynamic. */
export function relativeImports(sf: ts.SourceFile): ModuleImport[] {
  const found: ModuleImport[] = [];
  const add = (specifier: ts.Node | undefined, names: string[], typeOnly: boolean) => {
    if (!specifier || !ts.isStringLiteralLike(specifier) || !specifier.text.startsWith('.')) return;
    found.push({ target: relative(REPO_ROOT, resolve(REPO_ROOT, dirname(sf.fileName), specifier.text)), names, typeOnly });
  };
  const named = (elements: readonly (ts.ImportSpecifier | ts.ExportSpecifier)[]) => elements.map((e) => (e.propertyName ?? e.name).text);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const names = [...(clause?.name ? ['default'] : [])];
      const bindings = clause?.namedBindings;
      if (bindings) names.push(...(ts.isNamespaceImport(bindings) ? ['*'] : named(bindings.elements)));
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!bindings && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, names, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const clause = node.exportClause;
      add(node.moduleSpecifier, clause && ts.isNamedExports(clause) ? named(clause.elements) : ['*'], node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      // const { a, b } = await import('./x.ts') uses a and b; anything else may use every export.
      const declaration = ts.isAwaitExpression(node.parent) ? node.parent.parent : undefined;
      const pattern = declaration && ts.isVariableDeclaration(declaration) && ts.isObjectBindingPattern(declaration.name) ? declaration.name : undefined;
      add(node.arguments[0], pattern ? pattern.elements.map((e) => (e.propertyName ?? e.name).getText(sf)) : ['*'], false);
    } else if (ts.isImportTypeNode(node)) {
      const qualifier = node.qualifier && (ts.isIdentifier(node.qualifier) ? node.qualifier : node.qualifier.left);
      add(ts.isLiteralTypeNode(node.argument) ? node.argument.literal : undefined, [qualifier && ts.isIdentifier(qualifier) ? qualifier.text : '*'], true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

interface ModuleExport {
  name: string;
  /** The name inside the module ('default' exports of an expression have none). */
  local: string | undefined;
  /** The declaration's own name node, so uses of the name elsewhere in the module can be told apart. */
  declaredAt: ts.Node | undefined;
}

/** The names a module exports itself (re-exports of another module's names are that module's). */
export function moduleExports(sf: ts.SourceFile): ModuleExport[] {
  const out: ModuleExport[] = [];
  const bindingNames = (name: ts.BindingName): ts.Identifier[] => (ts.isIdentifier(name) ? [name] : name.elements.flatMap((e) => (ts.isBindingElement(e) ? bindingNames(e.name) : [])));
  for (const st of sf.statements) {
    const modifiers = ts.canHaveModifiers(st) ? (ts.getModifiers(st) ?? []) : [];
    const exported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (ts.isExportAssignment(st)) out.push({ name: 'default', local: ts.isIdentifier(st.expression) ? st.expression.text : undefined, declaredAt: undefined });
    else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const e of st.exportClause.elements) out.push({ name: e.name.text, local: (e.propertyName ?? e.name).text, declaredAt: undefined });
    } else if (exported && ts.isVariableStatement(st)) {
      for (const id of st.declarationList.declarations.flatMap((d) => bindingNames(d.name))) out.push({ name: id.text, local: id.text, declaredAt: id });
    } else if (exported && (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st))) {
      out.push({ name: isDefault ? 'default' : (st.name?.text ?? 'default'), local: st.name?.text, declaredAt: st.name });
    }
  }
  return out;
}
