/**
 * Copies the one onnxruntime-web build the site loads (`onnxruntime-web/webgpu` fetches the
 * asyncify .mjs and .wasm at run time) from node_modules into static/ort/.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { copyFileAtomic, removeTemporaryFiles } from './files';
import { ORT_DIR, packageDir } from './paths';

export const ORT_FILES = [
	'ort-wasm-simd-threaded.asyncify.mjs',
	'ort-wasm-simd-threaded.asyncify.wasm'
];

/** utimes goes through a double of seconds, which can move the copy's mtime by a few microseconds. */
const MTIME_TOLERANCE_MS = 1;

async function isSameCopy(source: string, target: string): Promise<boolean> {
	const from = await stat(source);
	try {
		const to = await stat(target);
		// copyFileAtomic keeps the source's mtime, so equal size and mtime mean an earlier copy.
		return to.size === from.size && Math.abs(to.mtimeMs - from.mtimeMs) < MTIME_TOLERANCE_MS;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
		throw error;
	}
}

/** Returns how many files had to be copied (0 when static/ort was already up to date). */
export async function copyOrtAssets(): Promise<number> {
	const distDir = join(packageDir('onnxruntime-web'), 'dist');
	await removeTemporaryFiles(ORT_DIR);
	let copied = 0;
	for (const name of ORT_FILES) {
		const source = join(distDir, name);
		const target = join(ORT_DIR, name);
		if (await isSameCopy(source, target)) continue;
		await copyFileAtomic(source, target);
		copied++;
	}
	return copied;
}
