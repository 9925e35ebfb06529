/**
 * Runs one model builder with caching. The cache key covers the source packages' installed
 * versions, the builder's code (with everything it imports, this file included) and the manifest
 * schema. The build writes into a hidden temporary folder that replaces static/models/<id> only
 * when complete; the stamp in .cache/assets is written last, so an interrupted build is redone.
 */
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_SCHEMA, type ModelManifest } from '../../src/lib/catalog/manifest';
import type { ModelBuilder } from './builder';
import {
	readJsonIfPresent,
	removeTemporaryFiles,
	sha256File,
	sha256Hex,
	writeJsonAtomic
} from './files';
import { CACHE_DIR, installedVersion, MODELS_DIR } from './paths';
import { sourceClosureHash } from './source-hash';

export const MANIFEST_FILE = 'manifest.json';

interface Stamp {
	key: string;
	manifestSha256: string;
}

export interface BuildOutcome {
	manifest: ModelManifest;
	cached: boolean;
}

/** Every builder reads or writes ONNX with onnx-proto, so its version matters to all of them. */
const TOOL_PACKAGES = ['onnx-proto'];

async function cacheKey(builder: ModelBuilder): Promise<string> {
	const names = [...new Set([...builder.packages, ...TOOL_PACKAGES])];
	const packages = Object.fromEntries(names.map((name) => [name, installedVersion(name)]));
	const sources = await sourceClosureHash([builder.moduleUrl, import.meta.url]);
	return sha256Hex(JSON.stringify({ schema: MANIFEST_SCHEMA, packages, sources }));
}

async function matchesRecord(path: string, bytes: number, sha256: string): Promise<boolean> {
	try {
		if ((await stat(path)).size !== bytes) return false;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
		throw error;
	}
	return (await sha256File(path)) === sha256;
}

/** The previous output, if the stamp matches and every file still has its recorded size and hash. */
async function intactOutput(modelDir: string, stamp: Stamp): Promise<ModelManifest | undefined> {
	const manifestPath = join(modelDir, MANIFEST_FILE);
	const manifest = (await readJsonIfPresent(manifestPath)) as ModelManifest | undefined;
	if (!manifest || (await sha256File(manifestPath)) !== stamp.manifestSha256) return undefined;
	for (const file of manifest.variants.flatMap((variant) => variant.files)) {
		const intact = await matchesRecord(join(modelDir, file.path), file.bytes, file.sha256);
		if (!intact) return undefined;
	}
	return manifest;
}

function checkManifest(builder: ModelBuilder, manifest: ModelManifest): void {
	if (manifest.id !== builder.id) {
		throw new Error(`${builder.id}: the manifest says id "${manifest.id}"`);
	}
	if (manifest.variants.length === 0) {
		throw new Error(`${builder.id}: the manifest has no variants`);
	}
	for (const file of manifest.variants.flatMap((variant) => variant.files)) {
		if (file.path.startsWith('/') || file.path.split('/').includes('..')) {
			throw new Error(`${builder.id}: file path "${file.path}" leaves the model folder`);
		}
	}
}

/** Removes temporary folders and files that an interrupted earlier build left behind. */
export async function removeBuildLeftovers(): Promise<void> {
	await mkdir(MODELS_DIR, { recursive: true });
	for (const entry of await readdir(MODELS_DIR)) {
		if (/^\..+\.(building|replaced)-\d+$/.test(entry)) {
			await rm(join(MODELS_DIR, entry), { recursive: true, force: true });
		}
	}
	await removeTemporaryFiles(MODELS_DIR);
	await removeTemporaryFiles(CACHE_DIR);
}

export async function buildModel(
	builder: ModelBuilder,
	log: (message: string) => void
): Promise<BuildOutcome> {
	const modelDir = join(MODELS_DIR, builder.id);
	const stampPath = join(CACHE_DIR, `${builder.id}.json`);
	const key = await cacheKey(builder);
	const stamp = (await readJsonIfPresent(stampPath)) as Stamp | undefined;
	if (stamp?.key === key) {
		const manifest = await intactOutput(modelDir, stamp);
		if (manifest) return { manifest, cached: true };
	}

	const workDir = join(MODELS_DIR, `.${builder.id}.building-${process.pid}`);
	const replacedDir = join(MODELS_DIR, `.${builder.id}.replaced-${process.pid}`);
	await rm(workDir, { recursive: true, force: true });
	await mkdir(workDir, { recursive: true });
	try {
		const manifest = await builder.build({ outputDir: workDir, log });
		checkManifest(builder, manifest);
		await writeJsonAtomic(join(workDir, MANIFEST_FILE), manifest);
		const manifestSha256 = await sha256File(join(workDir, MANIFEST_FILE));
		// Two renames rather than rm + rename, so the old folder is never half deleted in place.
		await rename(modelDir, replacedDir).catch((error: NodeJS.ErrnoException) => {
			if (error.code !== 'ENOENT') throw error;
		});
		await rename(workDir, modelDir);
		await rm(replacedDir, { recursive: true, force: true });
		await writeJsonAtomic(stampPath, { key, manifestSha256 } satisfies Stamp);
		return { manifest, cached: false };
	} finally {
		await rm(workDir, { recursive: true, force: true });
	}
}
