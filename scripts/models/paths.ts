/**
 * Where the build step reads and writes, relative to the repository root, so the scripts work
 * from any working directory.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MODELS_DIR = join(REPO_ROOT, 'static', 'models');
export const ORT_DIR = join(REPO_ROOT, 'static', 'ort');
export const CACHE_DIR = join(REPO_ROOT, '.cache', 'assets');

/** The installed copy of an npm package (several packages do not export package.json). */
export function packageDir(name: string): string {
	return join(REPO_ROOT, 'node_modules', ...name.split('/'));
}

export function installedVersion(name: string): string {
	return versionIn(join(packageDir(name), 'package.json'), name);
}

function versionIn(manifestPath: string, name: string): string {
	let parsed: unknown;
	try {
		parsed = JSON.parse(readFileSync(manifestPath, 'utf8'));
	} catch (error) {
		throw new Error(`Cannot read ${manifestPath}: is ${name} installed (npm ci)?`, {
			cause: error
		});
	}
	const version = (parsed as { version?: unknown }).version;
	if (typeof version !== 'string') throw new Error(`${manifestPath} has no version`);
	return version;
}
