import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Copies a package file into the model folder under `path` (relative, "/"-separated). */
export async function copyIntoModel(
	source: string,
	outputDir: string,
	path: string
): Promise<void> {
	const target = join(outputDir, ...path.split('/'));
	await mkdir(dirname(target), { recursive: true });
	await copyFile(source, target);
}
