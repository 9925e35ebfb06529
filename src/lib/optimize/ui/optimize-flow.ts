/**
 * What the Optimize button does, in order: read the source variant's files from the model store,
 * optimize its ONNX files in the optimize worker, hold the result in the runtime worker's memory
 * to run the fidelity check against the source, then store it as a derived variant in one
 * transaction. Until that last step nothing is written, so a failure leaves the store as it was.
 */
import type { ModelManifest, ModelVariant } from '$lib/catalog/manifest';
import { getRuntime, type BackendPreference } from '$lib/runtime';
import {
	installKeyOf,
	readInstalledFile,
	saveDerivedVariant,
	type DerivedVariantRecord
} from '$lib/store';
import { getOptimizer } from '../client';
import { checkFidelity } from '../fidelity-check';
import type { OptimizeSettings } from '../methods';
import type { OptimizeOutcome } from '../protocol';
import {
	buildOptimizedVariant,
	optimizedPath,
	optimizedVariantId,
	type FileBytes,
	type FileFidelity
} from '../variant';

export type FlowPhase = 'reading' | 'optimizing' | 'checking' | 'saving';

export interface FlowProgress {
	phase: FlowPhase;
	/** 0..1 over the whole flow. */
	overall: number;
	/** The file being optimized, when optimizing. */
	file?: string;
}

export interface FlowResult {
	record: DerivedVariantRecord;
	outcome: OptimizeOutcome;
	fidelity: FileFidelity[];
	bytesBefore: number;
	bytesAfter: number;
	/** What the store holds: pruned files are kept deflated. */
	storedBytesAfter: number;
}

/** A quarter of the device's memory (navigator.deviceMemory, in GB; 4 GB when unknown). */
export function memoryBudget(): number {
	const gigabytes = (navigator as Navigator & { deviceMemory?: number }).deviceMemory ?? 4;
	return (gigabytes * 1e9) / 4;
}

export async function optimizeVariant(
	model: ModelManifest,
	source: ModelVariant,
	settings: OptimizeSettings,
	backend: BackendPreference,
	onProgress: (progress: FlowProgress) => void
): Promise<FlowResult> {
	const sourceKey = installKeyOf(model.id, source.id);
	onProgress({ phase: 'reading', overall: 0 });
	const onnx: FileBytes[] = [];
	const companions: FileBytes[] = [];
	for (const file of source.files) {
		const data = await readInstalledFile(sourceKey, file.path);
		(file.kind === 'onnx' ? onnx : companions).push({ path: file.path, data });
	}
	const bytesBefore = [...onnx, ...companions].reduce((sum, f) => sum + f.data.byteLength, 0);
	onProgress({ phase: 'optimizing', overall: 0.05 });
	const outcome = await getOptimizer().optimize(
		{
			files: onnx.map((file) => ({ path: file.path, bytes: file.data })),
			settings,
			memoryBudgetBytes: memoryBudget()
		},
		(progress) =>
			onProgress({
				phase: 'optimizing',
				overall: 0.05 + 0.75 * progress.overall,
				file: progress.path
			})
	);

	const variantId = optimizedVariantId(model, source.id, settings);
	const build = (fidelity: FileFidelity[]) =>
		buildOptimizedVariant({
			model,
			source,
			variantId,
			settings,
			outcome,
			companions,
			fidelity,
			createdAt: Date.now()
		});
	onProgress({ phase: 'checking', overall: 0.8 });
	const candidate = build([]);
	const runtime = getRuntime();
	const candidateKey = installKeyOf(model.id, variantId);
	// The runtime worker takes the buffers: hand it copies, the originals are stored next.
	await runtime.registerMemoryInstall({
		manifest: { ...model, variants: [...model.variants, candidate.variant] },
		variantId,
		files: Object.fromEntries(candidate.files.map((file) => [file.path, file.data.slice()]))
	});
	let fidelity: FileFidelity[];
	try {
		fidelity = await checkFidelity(
			runtime,
			backend,
			sourceKey,
			candidateKey,
			outcome.files
				.filter((file) => file.report)
				.map((file) => ({
					sourcePath: file.path,
					candidatePath: optimizedPath(variantId, file.path),
					graph: source.files.find((f) => f.path === file.path)?.graph
				}))
		);
	} finally {
		await runtime.unload({ installKey: candidateKey });
	}

	onProgress({ phase: 'saving', overall: 0.95 });
	const { variant, files } = build(fidelity);
	const record = await saveDerivedVariant({
		model,
		variant,
		files,
		provenance: variant.provenance!
	});
	const bytesAfter = files.reduce((sum, f) => sum + f.data.byteLength, 0);
	const storedBytesAfter = files.reduce((sum, f) => {
		const report = f.compress ? compressedSizeOf(outcome, f.path, variantId) : undefined;
		return sum + (report ?? f.data.byteLength);
	}, 0);
	onProgress({ phase: 'saving', overall: 1 });
	return { record, outcome, fidelity, bytesBefore, bytesAfter, storedBytesAfter };
}

function compressedSizeOf(outcome: OptimizeOutcome, path: string, variantId: string) {
	return outcome.files.find((file) => optimizedPath(variantId, file.path) === path)?.report
		?.compressedBytes;
}
