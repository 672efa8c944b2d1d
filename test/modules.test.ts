// The import structure of the project: no module cycle, and no two folders
// importing each other. Type-only imports count: they tie the design together
// as much as value imports do, even though Node never loads them.
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { parseModule, projectFiles, relativeImports } from '../scripts/modules.ts';

const files = projectFiles();
const known = new Set(files);
type Graph = Map<string, string[]>;
/** module -> the project modules it imports */
const projectGraph: Graph = new Map(
  files.map((f) => [
    f,
    [
      ...new Set(
        relativeImports(parseModule(f))
          .map((i) => i.target)
          .filter((t) => known.has(t)),
      ),
    ].sort(),
  ]),
);

/** Strongly connected components (Tarjan): every component with more than one module is a cycle. */
function components(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop() as string;
        component.push(w);
      } while (w !== v);
      out.push(component.sort());
    }
  };
  for (const f of graph.keys()) if (!index.has(f)) visit(f);
  return out;
}

/** One concrete chain through a component, from its first module back to it (breadth-first: the shortest). */
function chainThrough(graph: Graph, component: string[]): string[] {
  const inside = new Set(component);
  const start = component[0] as string;
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift() as string;
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(from.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return component;
}

/** Each cycle as one readable chain, and the whole cycle when it is longer than the chain shows. */
function cycles(graph: Graph): string[] {
  const cyclic = components(graph).filter((c) => c.length > 1 || (graph.get(c[0] as string) ?? []).includes(c[0] as string));
  return cyclic.map((c) => `${chainThrough(graph, c).join(' -> ')}${c.length > 2 ? ` (${c.length} modules in this cycle: ${c.join(', ')})` : ''}`);
}

/** Folder pairs that import each other, each with one import in either direction. */
function foldersBothWays(graph: Graph): string[] {
  const example = new Map<string, string>();
  for (const [file, targets] of graph) {
    for (const t of targets) {
      const key = `${dirname(file)} -> ${dirname(t)}`;
      if (dirname(file) !== dirname(t) && !example.has(key)) example.set(key, `${file} -> ${t}`);
    }
  }
  const both: string[] = [];
  for (const [key, chain] of example) {
    const [a, b] = key.split(' -> ') as [string, string];
    if (a < b && example.has(`${b} -> ${a}`)) both.push(`${a} <-> ${b}: ${chain}, and ${example.get(`${b} -> ${a}`)}`);
  }
  return both;
}

test('no module imports itself through others (no import cycle)', () => {
  const found = cycles(projectGraph);
  assert.equal(found.length, 0, `import cycles:\n  ${found.join('\n  ')}`);
});

test('no two folders import each other', () => {
  const found = foldersBothWays(projectGraph);
  assert.equal(found.length, 0, `folders that import each other:\n  ${found.join('\n  ')}`);
});

test('the checks find a planted cycle and a planted pair of folders', () => {
  const planted: Graph = new Map([
    ['a/x.ts', ['a/y.ts']],
    ['a/y.ts', ['b/z.ts']],
    ['b/z.ts', ['a/x.ts']],
    ['b/w.ts', []],
  ]);
  assert.deepEqual(cycles(planted), ['a/x.ts -> a/y.ts -> b/z.ts -> a/x.ts (3 modules in this cycle: a/x.ts, a/y.ts, b/z.ts)']);
  assert.deepEqual(foldersBothWays(planted), ['a <-> b: a/y.ts -> b/z.ts, and b/z.ts -> a/x.ts']);
  assert.deepEqual(cycles(new Map([['a.ts', ['a.ts']]])), ['a.ts -> a.ts']);
});

test('the import graph is read: the runner is imported, relative specifiers resolve to files', () => {
  assert.ok([...projectGraph.values()].some((targets) => targets.includes('support/lib/runner.ts')));
  const unresolved = files.flatMap((f) =>
    relativeImports(parseModule(f))
      .filter((i) => !known.has(i.target))
      .map((i) => `${f} -> ${i.target}`),
  );
  assert.deepEqual(unresolved, []);
});
