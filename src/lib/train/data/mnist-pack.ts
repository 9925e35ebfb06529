/**
 * The MNIST digits as the site serves them (static/datasets/mnist/, written by the build step):
 * one byte per pixel and one per label, plus a small JSON index. The package stores pixels as
 * decimals such as 0.149; the index keeps the 256 values, so decoding gives back exactly the
 * numbers the catalog model was trained on.
 */
import type { LabelledSet } from '../fit';

export interface PackedFile {
	path: string;
	bytes: number;
	sha256: string;
}

export interface MnistPackIndex {
	name: string;
	description: string;
	licence: string;
	source: { package: string; version: string; upstream: string };
	width: number;
	height: number;
	count: number;
	classNames: string[];
	/** Rows [start, start + count) of each split; train rows come first. */
	splits: { train: { start: number; count: number }; test: { start: number; count: number } };
	/** values[byte] is the pixel intensity in [0, 1] that the byte stands for. */
	values: number[];
	images: PackedFile;
	labels: PackedFile;
}

export interface EncodedPack {
	values: number[];
	images: Uint8Array;
	labels: Uint8Array;
}

/** Bytes for the pixels of `sets` in order; every distinct pixel value must fit in 256 codes. */
export function encodeMnistPixels(sets: readonly LabelledSet[]): EncodedPack {
	const distinct = new Set<number>();
	for (const set of sets) for (const value of set.inputs) distinct.add(value);
	if (distinct.size > 256)
		throw new Error(`${distinct.size} distinct pixel values: more than a byte`);
	const values = [...distinct].sort((a, b) => a - b);
	const codes = new Map(values.map((value, code) => [value, code]));
	const total = sets.reduce((sum, set) => sum + set.inputs.length, 0);
	const images = new Uint8Array(total);
	const labels = new Uint8Array(sets.reduce((sum, set) => sum + set.labels.length, 0));
	let offset = 0;
	let row = 0;
	for (const set of sets) {
		for (const value of set.inputs) images[offset++] = codes.get(value) as number;
		labels.set(set.labels, row);
		row += set.labels.length;
	}
	return { values, images, labels };
}

/** The rows of one split (or all of them) as float pixels in [0, 1]. */
export function decodeMnistPack(
	index: MnistPackIndex,
	images: Uint8Array,
	labels: Uint8Array,
	split: 'train' | 'test' | 'all' = 'all'
): LabelledSet {
	const featureSize = index.width * index.height;
	if (images.length !== index.count * featureSize || labels.length !== index.count) {
		throw new Error(
			`The MNIST pack holds ${images.length} pixels and ${labels.length} labels, its index says ${index.count} images`
		);
	}
	const { start, count } = split === 'all' ? { start: 0, count: index.count } : index.splits[split];
	const table = Float32Array.from(index.values);
	const inputs = new Float32Array(count * featureSize);
	const source = images.subarray(start * featureSize, (start + count) * featureSize);
	for (let k = 0; k < inputs.length; k++) inputs[k] = table[source[k] as number] as number;
	return { inputs, labels: labels.slice(start, start + count), featureSize };
}
