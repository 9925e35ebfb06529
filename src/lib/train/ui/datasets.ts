/**
 * Gets training data into the page as feature rows: the MNIST pack and the SpamAssassin emails
 * the build step ships, a user's CSV of labelled texts, or labelled pictures. Texts become
 * sentence vectors through the runtime worker's `embed` task, so the exported head reads exactly
 * what that embedder gives at run time.
 */
import { asset } from '$app/paths';
import { HearthError } from '$lib/errors';
import { getRuntime, type BackendPreference } from '$lib/runtime';
import { sha256Hex } from '$lib/store';
import { parseLabelledCsv } from '../csv';
import { decodeMnistPack, type MnistPackIndex } from '../data/mnist-pack';
import { parseTextDataset, TEXT_MAX_TOKENS } from '../data/text-dataset';
import { EmptyDatasetError, SingleClassError } from '../errors';
import { imageToPixels, labelFromPath, orderClassNames, type PixelMode } from '../images';
import { sampleIndices, selectRows } from '../preprocess';
import { createRandom } from '../random';

export type DataSource = 'mnist' | 'spam' | 'csv' | 'images';

export interface PreparedData {
	source: DataSource;
	/** Pixels feed MNIST-style models; text vectors feed heads behind an embedder. */
	kind: 'pixels' | 'text';
	description: string;
	features: Float32Array;
	featureSize: number;
	labels: Uint8Array;
	classNames: string[];
	/** The exported graph's input name. */
	inputName: 'pixels' | 'embedding';
	/** The embedder install the text vectors came from. */
	embedderKey: string | null;
	notes: string[];
}

export type StatusCallback = (message: string) => void;

export class DatasetDownloadError extends HearthError {
	constructor(what: string, detail: string) {
		super(
			'dataset-download',
			`${what} could not be loaded (${detail}). Check the connection and reload the page.`
		);
		this.name = 'DatasetDownloadError';
	}
}

async function fetchBytes(path: string, what: string): Promise<Uint8Array> {
	const response = await fetch(asset(path as `/${string}`)).catch((error: unknown) => {
		throw new DatasetDownloadError(what, String(error));
	});
	if (!response.ok) throw new DatasetDownloadError(what, `HTTP ${response.status}`);
	return new Uint8Array(await response.arrayBuffer());
}

const json = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));

const count = (n: number) => n.toLocaleString('en-US');

export async function loadMnist(limit: number, seed: number, status: StatusCallback) {
	status('Downloading the MNIST digits…');
	const index = json(
		await fetchBytes('/datasets/mnist/index.json', 'The MNIST index')
	) as MnistPackIndex;
	const [images, labels] = await Promise.all([
		fetchBytes(`/datasets/mnist/${index.images.path}`, 'The MNIST images'),
		fetchBytes(`/datasets/mnist/${index.labels.path}`, 'The MNIST labels')
	]);
	for (const [bytes, file] of [
		[images, index.images],
		[labels, index.labels]
	] as const) {
		if ((await sha256Hex(bytes)) !== file.sha256)
			throw new DatasetDownloadError(`The MNIST file ${file.path}`, 'its SHA-256 does not match');
	}
	const train = decodeMnistPack(index, images, labels, 'train');
	const picked = selectRows(train, sampleIndices(train.labels.length, limit, createRandom(seed)));
	return {
		source: 'mnist',
		kind: 'pixels',
		description: `${count(picked.labels.length)} MNIST training digits (28×28 pixels)`,
		features: picked.inputs,
		featureSize: picked.featureSize,
		labels: picked.labels,
		classNames: index.classNames,
		inputName: 'pixels',
		embedderKey: null,
		notes: []
	} satisfies PreparedData;
}

const EMBED_BATCH = 256;

/** Sentence vectors for every text, in batches so the page can show progress. */
export async function embedAll(
	installKey: string,
	backend: BackendPreference,
	texts: readonly string[],
	status: StatusCallback
): Promise<{ vectors: Float32Array; dims: number; unknown: number }> {
	const parts: Float32Array[] = [];
	let dims = 0;
	let unknown = 0;
	for (let start = 0; start < texts.length; start += EMBED_BATCH) {
		status(`Embedding texts: ${count(start)} of ${count(texts.length)}…`);
		const batch = texts.slice(start, start + EMBED_BATCH);
		const run = await getRuntime().runTask(installKey, backend, 'embed', {
			texts: batch,
			maxTokens: TEXT_MAX_TOKENS
		});
		dims = run.result.dims;
		unknown += run.result.unknown.length;
		parts.push(run.result.vectors);
	}
	const vectors = new Float32Array(texts.length * dims);
	parts.forEach((part, k) => vectors.set(part, k * EMBED_BATCH * dims));
	return { vectors, dims, unknown };
}

async function textData(
	source: 'spam' | 'csv',
	description: string,
	texts: string[],
	labels: number[],
	classNames: string[],
	embedderKey: string,
	backend: BackendPreference,
	status: StatusCallback
): Promise<PreparedData> {
	const { vectors, dims, unknown } = await embedAll(embedderKey, backend, texts, status);
	const notes =
		unknown > 0
			? [`${count(unknown)} texts had no word the embedder knows; their vectors are all zeros.`]
			: [];
	return {
		source,
		kind: 'text',
		description,
		features: vectors,
		featureSize: dims,
		labels: Uint8Array.from(labels),
		classNames,
		inputName: 'embedding',
		embedderKey,
		notes
	};
}

export async function loadSpamEmails(
	limit: number,
	seed: number,
	embedderKey: string,
	backend: BackendPreference,
	status: StatusCallback
): Promise<PreparedData> {
	status('Downloading the SpamAssassin emails…');
	const dataset = parseTextDataset(
		json(await fetchBytes('/datasets/spam-assassin-emails.json', 'The SpamAssassin emails'))
	);
	const picked = sampleIndices(dataset.texts.length, limit, createRandom(seed));
	const texts = picked.map((i) => dataset.texts[i] as string);
	const labels = picked.map((i) => dataset.labels[i] as number);
	const description = `${count(texts.length)} SpamAssassin emails, embedded by GloVe`;
	return textData(
		'spam',
		description,
		texts,
		labels,
		dataset.classNames,
		embedderKey,
		backend,
		status
	);
}

export async function loadCsv(
	file: File,
	embedderKey: string,
	backend: BackendPreference,
	status: StatusCallback
): Promise<PreparedData> {
	status(`Reading ${file.name}…`);
	const parsed = parseLabelledCsv(await file.text());
	const description = `${count(parsed.texts.length)} texts from ${file.name}, embedded`;
	return textData(
		'csv',
		description,
		parsed.texts,
		parsed.labels,
		parsed.classNames,
		embedderKey,
		backend,
		status
	);
}

/** Large pictures are drawn smaller first: 28x28 pixels need no more than this. */
const MAX_DECODE_SIDE = 280;

async function decodePicture(file: File) {
	const bitmap = await createImageBitmap(file).catch(() => {
		throw new HearthError(
			'bad-image',
			`${file.name} is not a picture this browser can read. Use PNG, JPEG or WebP.`
		);
	});
	const scale = Math.min(1, MAX_DECODE_SIDE / Math.max(bitmap.width, bitmap.height));
	const width = Math.max(1, Math.round(bitmap.width * scale));
	const height = Math.max(1, Math.round(bitmap.height * scale));
	const canvas = new OffscreenCanvas(width, height);
	const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
	context.drawImage(bitmap, 0, 0, width, height);
	bitmap.close();
	return context.getImageData(0, 0, width, height);
}

export async function loadImages(
	files: readonly File[],
	mode: PixelMode,
	status: StatusCallback
): Promise<PreparedData> {
	const pictures = files.filter(
		(file) => file.type.startsWith('image/') || /\.(png|jpe?g|webp|gif|bmp)$/i.test(file.name)
	);
	if (pictures.length === 0) throw new EmptyDatasetError('The chosen files');
	const names = pictures.map((file) => labelFromPath(file.webkitRelativePath || file.name));
	const classNames = orderClassNames(names);
	if (classNames.length < 2) throw new SingleClassError(classNames[0] ?? '');
	const featureSize = 28 * 28;
	const features = new Float32Array(pictures.length * featureSize);
	for (const [k, file] of pictures.entries()) {
		status(`Reading pictures: ${count(k)} of ${count(pictures.length)}…`);
		features.set(imageToPixels(await decodePicture(file), mode), k * featureSize);
	}
	return {
		source: 'images',
		kind: 'pixels',
		description: `${count(pictures.length)} pictures in ${classNames.length} classes (28×28 pixels)`,
		features,
		featureSize,
		labels: Uint8Array.from(names, (name) => classNames.indexOf(name)),
		classNames,
		inputName: 'pixels',
		embedderKey: null,
		notes: []
	};
}
