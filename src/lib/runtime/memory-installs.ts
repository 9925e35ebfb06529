/**
 * Model variants the worker holds in memory instead of reading them from the model store. The
 * widget in a third-party frame, where the browser denies IndexedDB, fetches and verifies a
 * variant's files itself and hands the bytes over; sessions and task contexts then read from
 * here before they fall back to the store, so every task runs the same way in both cases.
 */
import type { ModelFile } from '$lib/catalog/manifest';
import { HearthError } from '$lib/errors';
import { ModelNotInstalledError } from '$lib/store/errors';
import { getInstall, readInstalledFile } from '$lib/store/installs';
import { installKeyOf } from '$lib/store/db';
import type { MemoryInstallRequest } from './protocol';

export class IncompleteMemoryInstallError extends HearthError {
	constructor(installKey: string, detail: string) {
		super(
			'memory-install-incomplete',
			`The files handed over for ${installKey} are incomplete (${detail}). Load the model again.`
		);
		this.name = 'IncompleteMemoryInstallError';
	}
}

interface MemoryInstall {
	files: ModelFile[];
	bytes: Map<string, Uint8Array>;
}

const installs = new Map<string, MemoryInstall>();

/** Keeps a variant's files in memory under its install key; returns the key and total bytes. */
export function registerMemoryInstall(request: MemoryInstallRequest): {
	installKey: string;
	bytes: number;
} {
	const installKey = installKeyOf(request.manifest.id, request.variantId);
	const variant = request.manifest.variants.find((v) => v.id === request.variantId);
	if (!variant)
		throw new IncompleteMemoryInstallError(installKey, 'the manifest has no such variant');
	const bytes = new Map<string, Uint8Array>();
	for (const file of variant.files) {
		const data = request.files[file.path];
		if (!data) throw new IncompleteMemoryInstallError(installKey, `${file.path} is missing`);
		if (data.byteLength !== file.bytes) {
			throw new IncompleteMemoryInstallError(
				installKey,
				`${file.path} has ${data.byteLength} bytes, not ${file.bytes}`
			);
		}
		bytes.set(file.path, data);
	}
	installs.set(installKey, { files: variant.files, bytes });
	return { installKey, bytes: variant.files.reduce((sum, file) => sum + file.bytes, 0) };
}

/** Frees a variant's bytes; true when it was held. */
export function forgetMemoryInstall(installKey: string): boolean {
	return installs.delete(installKey);
}

/** Bytes held in memory over all variants, for the widget's status. */
export function memoryInstallBytes(): number {
	let total = 0;
	for (const install of installs.values()) {
		for (const data of install.bytes.values()) total += data.byteLength;
	}
	return total;
}

/** The files of a variant: from memory when held there, else from its complete install. */
export async function modelFiles(installKey: string): Promise<ModelFile[]> {
	const held = installs.get(installKey);
	if (held) return held.files;
	const install = await getInstall(installKey);
	const variant = install?.manifest.variants.find((v) => v.id === install.variantId);
	if (!install?.complete || !variant) throw new ModelNotInstalledError(installKey);
	return variant.files;
}

/** One file's bytes: from memory when held there, else from the model store. */
export function readModelFile(installKey: string, path: string): Promise<Uint8Array> {
	const held = installs.get(installKey);
	if (!held) return readInstalledFile(installKey, path);
	const data = held.bytes.get(path);
	if (!data) return Promise.reject(new ModelNotInstalledError(installKey));
	return Promise.resolve(data);
}
