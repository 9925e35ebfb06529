/**
 * Hashes a module together with every local module it imports (relative specifiers, followed
 * recursively), so a change to a builder or to any helper it uses invalidates that builder's
 * cached output, without anyone keeping a list of files by hand.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from './files';
import { REPO_ROOT } from './paths';

const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

async function isFile(path: string): Promise<boolean> {
	try {
		return (await stat(path)).isFile();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
		throw error;
	}
}

async function resolveImport(fromFile: string, specifier: string): Promise<string> {
	const base = resolve(dirname(fromFile), specifier);
	const candidates = [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), `${base}/index.ts`];
	for (const candidate of candidates) if (await isFile(candidate)) return candidate;
	throw new Error(`${fromFile}: cannot resolve import "${specifier}"`);
}

/** Every local source file reachable from the entries, as absolute paths in a stable order. */
export async function localImportClosure(entries: string[]): Promise<string[]> {
	const seen = new Set<string>();
	const pending = entries.map((entry) =>
		entry.startsWith('file:') ? fileURLToPath(entry) : entry
	);
	while (pending.length > 0) {
		const file = pending.pop() as string;
		if (seen.has(file)) continue;
		seen.add(file);
		const source = await readFile(file, 'utf8');
		for (const match of source.matchAll(RELATIVE_IMPORT)) {
			pending.push(await resolveImport(file, match[1] as string));
		}
	}
	return [...seen].sort();
}

/** One hash over the paths (relative to the repository) and contents of the closure. */
export async function sourceClosureHash(entries: string[]): Promise<string> {
	const files = await localImportClosure(entries);
	const parts = await Promise.all(
		files.map(async (file) => `${relative(REPO_ROOT, file)}\n${sha256Hex(await readFile(file))}`)
	);
	return sha256Hex(parts.join('\n'));
}
