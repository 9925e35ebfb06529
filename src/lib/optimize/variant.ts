/**
 * Describes an optimization's result as a stored variant of the source's model: the optimized
 * ONNX files under a folder of the new variant's id (each with the source's graph signature and
 * test-run sample, so the Models page's Test run and every task page work on it), the source's
 * other files (tokenizer, keys) copied as they are, and the provenance: source install, method,
 * every parameter, date, what changed and the fidelity measured. Pure, so it is unit-tested.
 */
import type {
	ModelFile,
	ModelManifest,
	ModelVariant,
	VariantProvenance
} from '../catalog/manifest';
import type { OutputFidelity } from './fidelity';
import {
	describeSettings,
	methodInfo,
	precisionOf,
	variantSuffix,
	type OptimizeSettings
} from './methods';
import type { OptimizeOutcome } from './protocol';

export interface FileBytes {
	path: string;
	data: Uint8Array;
	/** Stored deflated (pruned weights: zeros take four bytes each until compressed). */
	compress?: boolean;
}

/** The fidelity of one optimized file on its built-in sample; `skipped` when it has none. */
export type FileFidelity =
	{ path: string; outputs: OutputFidelity[] } | { path: string; skipped: string };

/** `${source}-${suffix}`, with -2, -3, ... when the model has that variant already. */
export function optimizedVariantId(
	model: ModelManifest,
	sourceVariantId: string,
	settings: OptimizeSettings
): string {
	const base = `${sourceVariantId}-${variantSuffix(settings)}`;
	const taken = new Set(model.variants.map((variant) => variant.id));
	let id = base;
	for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
	return id;
}

function fileName(path: string): string {
	return path.split('/').pop() ?? path;
}

export interface OptimizedVariantInput {
	model: ModelManifest;
	source: ModelVariant;
	variantId: string;
	settings: OptimizeSettings;
	outcome: OptimizeOutcome;
	/** The bytes of the source's other files (not ONNX), by path. */
	companions: FileBytes[];
	fidelity: FileFidelity[];
	createdAt: number;
}

/** Where each optimized ONNX file of the source goes in the new variant. */
export function optimizedPath(variantId: string, sourcePath: string): string {
	return `${variantId}/${fileName(sourcePath)}`;
}

export function buildOptimizedVariant(input: OptimizedVariantInput): {
	variant: ModelVariant;
	files: FileBytes[];
} {
	const { source, variantId, outcome } = input;
	const files: FileBytes[] = [];
	const manifestFiles: ModelFile[] = source.files.map((file) => {
		const optimized = outcome.files.find((candidate) => candidate.path === file.path);
		if (optimized) {
			const path = optimizedPath(variantId, file.path);
			const sparse = optimized.report?.compressedBytes !== undefined;
			files.push({ path, data: optimized.bytes, ...(sparse ? { compress: true } : {}) });
			return { ...file, path, bytes: optimized.bytes.byteLength, sha256: '' };
		}
		const companion = input.companions.find((candidate) => candidate.path === file.path);
		if (!companion) throw new Error(`No bytes for ${file.path} of ${source.id}`);
		files.push(companion);
		return { ...file };
	});
	const provenance: VariantProvenance = {
		kind: 'optimized',
		sourceInstallKey: `${input.model.id}/${source.id}`,
		method: input.settings.method,
		parameters: { ...input.settings },
		createdAt: input.createdAt,
		details: {
			description: describeSettings(input.settings),
			milliseconds: Math.round(outcome.milliseconds),
			files: outcome.files.map((file) => ({
				path: optimizedPath(variantId, file.path),
				sourcePath: file.path,
				sourceSha256: source.files.find((f) => f.path === file.path)?.sha256 ?? '',
				...(file.report
					? {
							bytesBefore: file.report.bytesBefore,
							bytesAfter: file.report.bytesAfter,
							changes: file.report.changes,
							operators: file.report.operators,
							skipped: file.report.skipped.slice(0, 100),
							weightsChanged: file.report.weightsChanged,
							...(file.report.compressedBytes === undefined
								? {}
								: { compressedBytes: file.report.compressedBytes, sparsity: file.report.sparsity })
						}
					: { keptBecause: file.keptBecause ?? '' })
			})),
			fidelity: input.fidelity
		}
	};
	const label = methodInfo(input.settings.method).label;
	return {
		variant: {
			id: variantId,
			name: `${source.name} · ${label}`,
			description: `Made in this browser from ${source.name} (${source.id}): ${describeSettings(input.settings)}.`,
			precision: precisionOf(input.settings),
			files: manifestFiles,
			provenance
		},
		files
	};
}
