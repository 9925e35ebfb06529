/**
 * The shape of a model manifest: what the build step writes next to every catalog model
 * (static/models/<id>/manifest.json) and what the store keeps for every installed model.
 * It is pure data so the same file describes catalog models, user models and optimized variants.
 */

export const MANIFEST_SCHEMA = 1;

export type TaskKind =
	| 'ocr'
	| 'vad'
	| 'embeddings'
	| 'digits'
	| 'classification'
	| 'pose'
	| 'face'
	| 'moderation'
	| 'detection'
	| 'segmentation'
	| 'custom';

export type TensorDType =
	'float32' | 'float16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool' | 'string';

/** A graph input or output as the ONNX file declares it; a string dim is symbolic ("batch"). */
export interface TensorSpec {
	name: string;
	dtype: TensorDType;
	dims: (number | string)[];
}

/**
 * How to make one input of the built-in sample that "test run" feeds a graph. Either inline
 * data (a real MNIST digit, token ids of a sentence) or a fill rule for large inputs.
 */
export interface SampleTensor {
	name: string;
	dtype: TensorDType;
	dims: number[];
	/** Inline values, row-major. Wins over `fill` when present. */
	data?: number[];
	/** zeros; random: seeded uniform [0, 1); sine: a 440 Hz tone at 16 kHz, for audio models. */
	fill?: 'zeros' | 'random' | 'sine';
}

/** What a correct answer to the sample looks like, so a test run can say "as expected". */
export interface SampleExpectation {
	output: string;
	/** The index of the largest value along the last axis of the first row. */
	argmax?: number;
	label?: string;
}

export interface GraphSpec {
	inputs: TensorSpec[];
	outputs: TensorSpec[];
	sample: SampleTensor[];
	expect?: SampleExpectation;
}

export type FileKind = 'onnx' | 'tokenizer' | 'config' | 'vocabulary' | 'data';

export interface ModelFile {
	/** Relative to the model's folder, with "/" separators: "v5/silero_vad.onnx". */
	path: string;
	bytes: number;
	/**
	 * Lower-case hex. Empty for a file added by URL or repo id whose host publishes no hash: the
	 * download computes it and the install records it (see `sha256Source`).
	 */
	sha256: string;
	/**
	 * 'published': checked against a hash known before the download (the catalog's build, a hub's
	 * LFS pointer). 'computed': worked out from the bytes Hearth received, so it proves nothing
	 * about the source. Absent means published.
	 */
	sha256Source?: 'published' | 'computed';
	kind: FileKind;
	/** What the file is for inside the variant ("detection", "recognition", "keys", ...). */
	role: string;
	/** Present for ONNX graphs. */
	graph?: GraphSpec;
}

export type Precision = 'fp32' | 'fp16' | 'int8' | 'int4' | 'mixed';

/** How a variant Hearth made (optimized, trained, distilled) came about. */
export interface VariantProvenance {
	kind: 'optimized' | 'trained' | 'distilled';
	/** The install it was made from (`model/variant`), when there is one. */
	sourceInstallKey: string | null;
	/** The method's name and every parameter it used. */
	method: string;
	parameters: Record<string, unknown>;
	createdAt: number;
	/** What the method reported: skipped nodes, measured accuracy, training curves, ... */
	details: Record<string, unknown>;
}

export interface ModelVariant {
	id: string;
	name: string;
	description: string;
	precision: Precision;
	files: ModelFile[];
	/** Measured numbers recorded by the build (test accuracy, ...). */
	metrics?: Record<string, number>;
	/** Present on variants Hearth made from another one. */
	provenance?: VariantProvenance;
}

export interface ModelSource {
	/** The npm package and exact version the files (or the data they were built from) come from. */
	package: string;
	version: string;
	/** Where the model itself comes from upstream, for people. */
	upstream: string;
	/** How Hearth made the files from the package (copied, converted, trained). */
	build: string;
}

export interface ModelLicence {
	/** SPDX identifier of the model weights. */
	spdx: string;
	/** Licences of the package and the data where they differ from the weights'. */
	note: string;
}

/** Where a model the user added came from; catalog models have none. */
export interface ModelOrigin {
	kind: 'file' | 'url' | 'repo';
	/** What the user gave: the file name, the URL, or the repo id. */
	label: string;
	/** The host a repo id was looked up on. */
	host?: string;
	addedAt: number;
}

export interface ModelManifest {
	schema: typeof MANIFEST_SCHEMA;
	id: string;
	name: string;
	task: TaskKind;
	description: string;
	licence: ModelLicence;
	source: ModelSource;
	/** Absolute URL the files are fetched from; catalog models leave it out (the site's own folder). */
	baseUrl?: string;
	/** Present on user models only. */
	origin?: ModelOrigin;
	variants: ModelVariant[];
}

export interface Catalog {
	schema: typeof MANIFEST_SCHEMA;
	models: ModelManifest[];
}

export function totalBytes(variant: ModelVariant): number {
	return variant.files.reduce((sum, file) => sum + file.bytes, 0);
}
