/**
 * Stores a trained model so every page uses it like any other variant: digits models join the
 * catalog MNIST model, text heads join the spam filter (carrying a copy of the embedder they
 * were trained behind), and any other classifier becomes one of "Your models". Then the stored
 * file is run through the runtime worker on the parity rows: if onnxruntime disagrees with the
 * training engine by more than 1e-5, the variant is removed again and the user told.
 */
import { asset } from '$app/paths';
import {
	MANIFEST_SCHEMA,
	type Catalog,
	type ModelFile,
	type ModelManifest,
	type VariantProvenance
} from '$lib/catalog/manifest';
import { HearthError } from '$lib/errors';
import { getRuntime } from '$lib/runtime';
import {
	deleteInstall,
	deleteUserModel,
	getInstall,
	importLocalModel,
	installKeyOf,
	readInstalledFile,
	saveDerivedVariant,
	sha256Hex
} from '$lib/store';
import type { JobOutcome, ParityRows } from '../job';
import type { DistillationSettings } from '../losses';
import type { BatchPoint } from '../protocol';
import type { TrainingSetup } from '../setup';
import { buildTrainedVariant, curvesOf, maxAbsDifference, newVariantId } from '../variant';
import type { PreparedData } from './datasets';
import type { TeacherOption } from './teachers';

export const PARITY_TOLERANCE = 1e-5;
const DIGITS = Array.from({ length: 10 }, (_, d) => String(d));

export interface SaveRequest {
	name: string;
	data: PreparedData;
	outcome: JobOutcome;
	setup: TrainingSetup;
	distillation: (DistillationSettings & { teacher: TeacherOption }) | null;
	/** The stored model's training curve (its phase's points). */
	points: BatchPoint[];
	catalog: Catalog;
}

export interface SavedModel {
	installKey: string;
	modelId: string;
	modelName: string;
	variantId: string;
	/** Where it runs: the digits page, the spam filter page, or the generic runner. */
	runPath: '/run/digits' | '/run/spam' | '/inspect';
	parity: { logits: number; probabilities: number };
}

export class ParityError extends HearthError {
	constructor(difference: number) {
		super(
			'onnx-parity',
			`The exported model disagrees with the training engine by ${difference.toExponential(1)} ` +
				`(more than ${PARITY_TOLERANCE}), so it was not kept. Please report this; training ` +
				'again with another seed may avoid it.'
		);
		this.name = 'ParityError';
	}
}

function catalogModel(catalog: Catalog, id: string): ModelManifest {
	const model = catalog.models.find((candidate) => candidate.id === id);
	if (!model)
		throw new HearthError('catalog-missing', `The catalog has no ${id} model: reload the page.`);
	return model;
}

/** Copies of the embedder's files, under the new variant's folder, with their roles and graphs. */
async function embedderCompanions(embedderKey: string, variantId: string) {
	const install = await getInstall(embedderKey);
	const variant = install?.manifest.variants.find((v) => v.id === install.variantId);
	if (!install?.complete || !variant)
		throw new HearthError(
			'embedder-missing',
			'The embedder is no longer stored: download it again on this page.'
		);
	return Promise.all(
		variant.files.map(async (file) => {
			const data = await readInstalledFile(embedderKey, file.path);
			const copy: ModelFile = {
				...file,
				path: `${variantId}/embedder/${file.path.split('/').pop()}`
			};
			return { file: copy, data };
		})
	);
}

async function catalogClassNames(model: ModelManifest): Promise<string[] | null> {
	if (model.task === 'digits') return DIGITS;
	const labels = model.variants[0]?.files.find((file) => file.role === 'labels');
	if (!labels) return null;
	try {
		const response = await fetch(asset(`/models/${model.id}/${labels.path}` as `/${string}`));
		return ((await response.json()) as { classNames?: string[] }).classNames ?? null;
	} catch {
		return null;
	}
}

async function verifyParity(
	installKey: string,
	path: string,
	inputName: string,
	parity: ParityRows
) {
	const runtime = getRuntime();
	const session = await runtime.load(installKey, path, 'wasm');
	const width = parity.inputs.length / parity.count;
	const run = await runtime.run(session.sessionId, {
		[inputName]: { dtype: 'float32', dims: [parity.count, width], data: parity.inputs.slice() }
	});
	return {
		logits: maxAbsDifference(run.outputs.logits?.data as Float32Array, parity.logits),
		probabilities: maxAbsDifference(
			run.outputs.probabilities?.data as Float32Array,
			parity.probabilities
		)
	};
}

function describe(request: SaveRequest): string {
	const { outcome, data, setup, distillation } = request;
	const accuracy = outcome.model.validationAccuracy;
	const sizes = outcome.model.layerSizes.join('-');
	const kind =
		setup.model.kind === 'logistic'
			? 'Logistic regression'
			: `${sizes} ${setup.model.activation} MLP`;
	const how = distillation
		? `distilled from ${distillation.teacher.label}`
		: 'trained in this browser';
	const score = accuracy === null ? '' : ` Validation accuracy ${(accuracy * 100).toFixed(1)}%.`;
	return `${kind}, ${how} on ${data.description}.${score}`;
}

export async function saveTrainedModel(request: SaveRequest): Promise<SavedModel> {
	const { data, outcome, setup, distillation } = request;
	const variantId = newVariantId(distillation ? 'distilled' : 'trained');
	const target =
		data.kind === 'text'
			? catalogModel(request.catalog, 'spam-classifier')
			: data.classNames.join() === DIGITS.join()
				? catalogModel(request.catalog, 'mnist-mlp')
				: null;
	const provenance: VariantProvenance = {
		kind: distillation ? 'distilled' : 'trained',
		sourceInstallKey: distillation?.teacher.installKey ?? data.embedderKey,
		method: setup.model.kind === 'logistic' ? 'logistic-regression' : 'mlp',
		parameters: {
			...setup,
			...(distillation
				? { distillation: { temperature: distillation.temperature, alpha: distillation.alpha } }
				: {})
		},
		createdAt: Date.now(),
		details: {
			data: data.description,
			source: data.source,
			classNames: data.classNames,
			trainExamples: outcome.trainExamples,
			validationExamples: outcome.validationExamples,
			validationAccuracy: outcome.model.validationAccuracy,
			trainAccuracy: outcome.model.trainAccuracy,
			stopReason: outcome.model.stopReason,
			keptEpoch: outcome.model.keptEpoch,
			layerSizes: outcome.model.layerSizes,
			durationMs: outcome.durationMs,
			curves: curvesOf(outcome.model, request.points),
			...(distillation
				? {
						teacher: distillation.teacher.label,
						teacherValidationAccuracy: outcome.teacherValidationAccuracy,
						withoutDistillationValidationAccuracy: outcome.baseline?.validationAccuracy ?? null
					}
				: {})
		}
	};
	const sourceFile = target?.variants[0]?.files.find((file) => file.role === 'classifier');
	const { variant, files } = buildTrainedVariant({
		variantId,
		name: request.name,
		description: describe(request),
		model: outcome.model,
		classNames: data.classNames,
		inputName: data.inputName,
		sourceGraph: sourceFile?.graph ?? null,
		sourceClassNames: target ? await catalogClassNames(target) : null,
		companions: data.embedderKey ? await embedderCompanions(data.embedderKey, variantId) : [],
		provenance,
		outcome
	});

	let installKey: string;
	let remove: () => Promise<void>;
	let model: ModelManifest;
	if (target) {
		const record = await saveDerivedVariant({ model: target, variant, files, provenance });
		installKey = record.key;
		model = target;
		remove = () => deleteInstall(installKey);
	} else {
		for (const file of variant.files) {
			const bytes = files.find((candidate) => candidate.path === file.path)!.data;
			file.bytes = bytes.byteLength;
			file.sha256 = await sha256Hex(bytes);
		}
		model = {
			schema: MANIFEST_SCHEMA,
			id: `${variantId}-model`,
			name: request.name,
			task: 'custom',
			description: variant.description,
			licence: { spdx: 'unknown', note: 'Trained by you, on your own data, in this browser.' },
			source: {
				package: '',
				version: '',
				upstream: data.description,
				build: 'Trained on the Train page.'
			},
			origin: { kind: 'file', label: `${request.name}.onnx`, addedAt: provenance.createdAt },
			variants: [variant]
		};
		await importLocalModel(model, variant.id, files);
		installKey = installKeyOf(model.id, variant.id);
		remove = () => deleteUserModel(model.id);
	}

	const classifier = variant.files[0]!;
	const parity = await verifyParity(
		installKey,
		classifier.path,
		data.inputName,
		outcome.model.parity
	).catch(async (error: unknown) => {
		await remove();
		throw error;
	});
	const worst = Math.max(parity.logits, parity.probabilities);
	if (!(worst <= PARITY_TOLERANCE)) {
		await remove();
		throw new ParityError(worst);
	}
	return {
		installKey,
		modelId: model.id,
		modelName: model.name,
		variantId,
		runPath: target?.task === 'digits' ? '/run/digits' : target ? '/run/spam' : '/inspect',
		parity
	};
}
