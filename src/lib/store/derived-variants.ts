/**
 * Variants Hearth made from other variants (optimized, trained, distilled). Each is stored as a
 * complete install of its model (so every page, the runtime and the widget use it like any other
 * variant) plus a record of the variant and its provenance, all in one transaction.
 */
import type { ModelManifest, ModelVariant, VariantProvenance } from '$lib/catalog/manifest';
import { openDatabase, type DerivedVariantRecord } from './db';
import { ensureSpace } from './download';
import { asStorageError } from './installs';
import { prepareLocalInstall, sha256Hex, type LocalFileBytes } from './user-models';

export interface NewDerivedVariant {
	/** The model the variant joins (catalog or user model), as it is now. */
	model: ModelManifest;
	/** Files may leave `bytes` and `sha256` empty: they are filled in from `files`. */
	variant: ModelVariant;
	files: LocalFileBytes[];
	provenance: VariantProvenance;
}

/** Stores the variant and its bytes; returns the variant as recorded (sizes and hashes set). */
export async function saveDerivedVariant(input: NewDerivedVariant): Promise<DerivedVariantRecord> {
	const files = await Promise.all(
		input.variant.files.map(async (file) => {
			const data = input.files.find((candidate) => candidate.path === file.path)?.data;
			if (!data) throw new Error(`saveDerivedVariant: no bytes for ${file.path}`);
			return { ...file, bytes: data.byteLength, sha256: await sha256Hex(data) };
		})
	);
	const variant = { ...input.variant, files, provenance: input.provenance };
	const manifest: ModelManifest = {
		...input.model,
		variants: [...input.model.variants.filter((v) => v.id !== variant.id), variant]
	};
	const { install, records, chunks } = prepareLocalInstall(manifest, variant.id, input.files);
	const record: DerivedVariantRecord = { key: install.key, modelId: input.model.id, variant };
	await ensureSpace(install.totalBytes);
	const db = await openDatabase();
	const tx = db.transaction(['derivedVariants', 'installs', 'files', 'chunks'], 'readwrite');
	try {
		await Promise.all([
			tx.objectStore('derivedVariants').put(record),
			tx.objectStore('installs').put(install),
			...records.map((file) => tx.objectStore('files').put(file)),
			...chunks.map((chunk) => tx.objectStore('chunks').put(chunk)),
			tx.done
		]);
	} catch (error) {
		throw asStorageError(error);
	}
	return record;
}

export async function listDerivedVariants(modelId?: string): Promise<DerivedVariantRecord[]> {
	const db = await openDatabase();
	return modelId
		? db.getAllFromIndex('derivedVariants', 'byModel', modelId)
		: db.getAll('derivedVariants');
}

export async function getDerivedVariant(key: string): Promise<DerivedVariantRecord | undefined> {
	return (await openDatabase()).get('derivedVariants', key);
}

export type { DerivedVariantRecord };
