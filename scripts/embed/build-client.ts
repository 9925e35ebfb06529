/**
 * Builds the JS client host pages import (src/lib/embed/client.ts) into a standalone ES module,
 * static/embed/hearth-client.js, with its types bundled into one file beside it,
 * static/embed/hearth-client.d.ts (every type it uses is inlined, so nothing else is needed).
 * Both are build outputs, cached on the sources they come from and the tools' versions.
 */
import { build } from 'esbuild';
import { generateDtsBundle } from 'dts-bundle-generator';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	readJsonIfPresent,
	sha256File,
	sha256Hex,
	writeFileAtomic,
	writeJsonAtomic
} from '../models/files';
import { CACHE_DIR, installedVersion, REPO_ROOT } from '../models/paths';

const ENTRY = join(REPO_ROOT, 'src', 'lib', 'embed', 'client.ts');
const LIB = join(REPO_ROOT, 'src', 'lib');
export const EMBED_DIR = join(REPO_ROOT, 'static', 'embed');
const OUTPUTS = { js: 'hearth-client.js', dts: 'hearth-client.d.ts' };
const STAMP = join(CACHE_DIR, 'embed-client.json');
const TSCONFIG = join(dirname(fileURLToPath(import.meta.url)), 'tsconfig.client.json');
const BANNER =
	'// Hearth widget client (protocol 1): built from src/lib/embed/client.ts, do not edit.';

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]((?:\.{1,2}|\$lib)\/[^'"]+)['"]/g;

async function existing(path: string): Promise<string | null> {
	for (const candidate of [path, `${path}.ts`, path.replace(/\.js$/, '.ts')]) {
		const info = await stat(candidate).catch(() => null);
		if (info?.isFile()) return candidate;
	}
	return null;
}

/** The client's sources: relative and $lib imports, followed recursively. */
async function sourceFiles(): Promise<string[]> {
	const seen = new Set<string>();
	const pending = [ENTRY, fileURLToPath(import.meta.url), TSCONFIG];
	while (pending.length > 0) {
		const file = pending.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		if (!file.endsWith('.ts')) continue;
		for (const match of (await readFile(file, 'utf8')).matchAll(IMPORT)) {
			const specifier = match[1]!;
			const target = specifier.startsWith('$lib/')
				? join(LIB, specifier.slice('$lib/'.length))
				: resolve(dirname(file), specifier);
			const found = await existing(target);
			if (!found) throw new Error(`${file}: cannot resolve "${specifier}"`);
			pending.push(found);
		}
	}
	return [...seen].sort();
}

async function cacheKey(files: string[]): Promise<string> {
	const hashes = await Promise.all(files.map(async (file) => `${file}:${await sha256File(file)}`));
	const tools = ['esbuild', 'dts-bundle-generator', 'typescript'].map(
		(name) => `${name}@${installedVersion(name)}`
	);
	return sha256Hex(JSON.stringify({ hashes: hashes.map((h) => h.replace(REPO_ROOT, '')), tools }));
}

export async function buildEmbedClient(): Promise<{ cached: boolean }> {
	const key = await cacheKey(await sourceFiles());
	const stamp = (await readJsonIfPresent(STAMP)) as
		{ key: string; sha256: Record<string, string> } | undefined;
	if (stamp?.key === key) {
		const intact = await Promise.all(
			Object.entries(stamp.sha256).map(async ([name, sha]) =>
				(await sha256File(join(EMBED_DIR, name)).catch(() => null)) === sha ? true : false
			)
		);
		if (intact.every(Boolean)) return { cached: true };
	}

	const bundled = await build({
		entryPoints: [ENTRY],
		bundle: true,
		format: 'esm',
		target: 'es2022',
		platform: 'browser',
		write: false,
		alias: { $lib: LIB },
		legalComments: 'none',
		banner: { js: BANNER }
	});
	const js = bundled.outputFiles[0]!.text;
	const [dts] = generateDtsBundle([{ filePath: ENTRY, output: { noBanner: true } }], {
		preferredConfigPath: TSCONFIG
	});
	await writeFileAtomic(join(EMBED_DIR, OUTPUTS.js), js);
	await writeFileAtomic(join(EMBED_DIR, OUTPUTS.dts), `${BANNER}\n${dts}`);
	await writeJsonAtomic(STAMP, {
		key,
		sha256: {
			[OUTPUTS.js]: sha256Hex(js),
			[OUTPUTS.dts]: sha256Hex(`${BANNER}\n${dts}`)
		}
	});
	return { cached: false };
}
