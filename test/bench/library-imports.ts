// The baseline of the cold-import budget: which library bindings a function's own source files
// import, and a synthetic entry that imports exactly those and nothing of ours. The difference
// between the two bundles' import times is what our own code costs at cold start. Node's built-in
// modules count as libraries: `node:crypto` (correlation ids, key and bucket hashes) is not part of
// Node's start-up snapshot and takes milliseconds to load, which is a library's cost, not our code's.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { transform, type Metafile } from 'esbuild';

export interface LibraryImport {
  /** Named bindings (`default` when imported as `{ default as x }`). */
  names: Set<string>;
  hasDefault: boolean;
}

/** `import <clause> from 'x'` (group 1 `type`, 2 clause, 3 specifier) or `import 'x'` (group 4). */
const IMPORT_STATEMENT = /^[ \t]*import\s+(?:(type)\s+)?([\w$*{}\s,]+?)\s*from\s*['"]([^'"]+)['"]|^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Source files of ours in a bundle: every input that did not come from node_modules. */
export function ownSourceFiles(metafile: Metafile, workingDir: string): string[] {
  return Object.keys(metafile.inputs)
    .filter((input) => !input.includes('node_modules/') && /\.[cm]?[jt]sx?$/.test(input))
    .map((input) => (isAbsolute(input) ? input : resolve(workingDir, input)));
}

/** A package or a Node built-in: anything not imported by a relative or absolute path. */
function isLibrary(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/');
}

function entryFor(imports: Map<string, LibraryImport>, specifier: string): LibraryImport {
  let entry = imports.get(specifier);
  if (entry === undefined) {
    entry = { names: new Set(), hasDefault: false };
    imports.set(specifier, entry);
  }
  return entry;
}

/**
 * Members read off a namespace import (`z.string`). Scanned in the type-stripped code, so that
 * `z.output<…>` or `z.core.$ZodIssue` in a type position does not pull a whole namespace in.
 */
function namespaceMembers(code: string, namespace: string): string[] {
  const escaped = namespace.replace(/\$/g, '\\$');
  const access = new RegExp(`(?<![\\w$.])${escaped}\\.([A-Za-z_$][\\w$]*)`, 'g');
  return [...code.matchAll(access)].map((match) => match[1] ?? '');
}

async function scanFile(path: string, imports: Map<string, LibraryImport>): Promise<void> {
  const source = await readFile(path, 'utf8');
  let strippedCode: string | undefined;
  for (const match of source.matchAll(IMPORT_STATEMENT)) {
    const [, typeOnly, clause = '', fromSpecifier, bareSpecifier] = match;
    const specifier = fromSpecifier ?? bareSpecifier ?? '';
    if (typeOnly !== undefined || !isLibrary(specifier)) continue;
    const entry = entryFor(imports, specifier);
    if (bareSpecifier !== undefined) continue; // a side-effect import: the entry alone keeps it

    const braces = /\{([^}]*)\}/.exec(clause);
    for (const part of braces?.[1]?.split(',') ?? []) {
      const name = part.trim().split(/\s+as\s+/)[0]?.trim() ?? '';
      if (name === '' || /^type\s/.test(name)) continue;
      if (name === 'default') entry.hasDefault = true;
      else entry.names.add(name);
    }
    const namespace = /\*\s*as\s+([\w$]+)/.exec(clause)?.[1];
    if (namespace !== undefined) {
      strippedCode ??= (await transform(source, { loader: 'ts', sourcefile: path })).code;
      for (const member of namespaceMembers(strippedCode, namespace)) entry.names.add(member);
    }
    const defaultName = clause.replace(/\{[^}]*\}/, '').replace(/\*\s*as\s+[\w$]+/, '').replace(/,/g, '').trim();
    if (IDENTIFIER.test(defaultName)) entry.hasDefault = true;
  }
}

/** Library imports of `files` (packages and Node built-ins), merged per specifier. Type-only imports are skipped. */
export async function collectLibraryImports(files: readonly string[]): Promise<Map<string, LibraryImport>> {
  const imports = new Map<string, LibraryImport>();
  for (const file of files) await scanFile(file, imports);
  return imports;
}

/** An ES module importing exactly `imports`, with every binding kept alive so none is shaken out. */
export function baselineEntrySource(imports: ReadonlyMap<string, LibraryImport>): string {
  const lines: string[] = [];
  const kept: string[] = [];
  const local = (): string => {
    const name = `__b${String(kept.length)}`;
    kept.push(name);
    return name;
  };
  for (const [specifier, entry] of [...imports].sort(([a], [b]) => a.localeCompare(b))) {
    const quoted = JSON.stringify(specifier);
    const bindings = [...entry.names].sort().map((name) => `${name} as ${local()}`);
    if (entry.hasDefault) bindings.unshift(`default as ${local()}`);
    lines.push(bindings.length > 0 ? `import { ${bindings.join(', ')} } from ${quoted};` : `import ${quoted};`);
  }
  lines.push(`globalThis.__keep = [${kept.join(', ')}];`);
  return `${lines.join('\n')}\n`;
}
