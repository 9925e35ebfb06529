/**
 * `npm run assets`: puts what the static site serves but git does not hold into static/:
 * onnxruntime-web's wasm build (static/ort/) and the catalog models with their manifests
 * (static/models/<id>/, static/models/catalog.json). Work already done is skipped (see
 * scripts/models/pipeline.ts), so it is cheap to run before every dev, build and test.
 */
import { join } from 'node:path';
import { MANIFEST_SCHEMA, totalBytes, type Catalog } from '../src/lib/catalog/manifest';
import type { ModelBuilder } from './models/builder';
import { readJsonIfPresent, writeJsonAtomic } from './models/files';
import { gloveEmbedderBuilder } from './models/glove-embedder';
import { mnistMlpBuilder } from './models/mnist-mlp';
import { moveNetBuilder } from './models/movenet';
import { blazeFaceBuilder } from './models/blazeface';
import { nsfwjsBuilder } from './models/nsfwjs';
import { nanoDetBuilder } from './models/nanodet';
import { selfieBuilder } from './models/selfie';
import { useLiteBuilder } from './models/use-lite';
import { copyOrtAssets, ORT_FILES } from './models/ort-assets';
import { paddleOcrBuilder } from './models/paddleocr';
import { MODELS_DIR } from './models/paths';
import { buildModel, removeBuildLeftovers } from './models/pipeline';
import { sileroVadBuilder } from './models/silero-vad';
import { spamClassifierBuilder } from './models/spam-classifier';
import { buildMnistPack } from './datasets/mnist-pack';
import { buildSpamEmailsDataset } from './datasets/spam-emails';
import { buildSpamAssassinDataset } from './datasets/spam-assassin';
import { buildAppIcons } from './pwa/app-icons';
import { buildEmbedClient } from './embed/build-client';
import { buildEvalSets } from './evals/build-evals';

/** Catalog order, as the site lists the models. */
const BUILDERS: ModelBuilder[] = [
	paddleOcrBuilder,
	sileroVadBuilder,
	gloveEmbedderBuilder,
	mnistMlpBuilder,
	// After the GloVe embedder: it embeds the emails with the built embedder and carries a copy.
	spamClassifierBuilder,
	moveNetBuilder,
	blazeFaceBuilder,
	nsfwjsBuilder,
	useLiteBuilder,
	nanoDetBuilder,
	selfieBuilder
];

const log = (message: string) => console.log(`[assets] ${message}`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function main(): Promise<void> {
	const started = performance.now();
	const copied = await copyOrtAssets();
	log(copied === 0 ? 'ort: cached' : `ort: copied ${copied} of ${ORT_FILES.length} files`);

	await removeBuildLeftovers();
	const catalog: Catalog = { schema: MANIFEST_SCHEMA, models: [] };
	for (const builder of BUILDERS) {
		const modelStarted = performance.now();
		const { manifest, cached } = await buildModel(builder, (message) =>
			log(`${builder.id}: ${message}`)
		);
		const sizes = manifest.variants.map((v) => `${v.id} ${megabytes(totalBytes(v))}`).join(', ');
		log(`${builder.id}: ${cached ? 'cached' : `built in ${seconds(modelStarted)}`} (${sizes})`);
		catalog.models.push(manifest);
	}

	// Rewritten only when it changes, so file watchers are not woken for nothing.
	const catalogPath = join(MODELS_DIR, 'catalog.json');
	if (JSON.stringify(await readJsonIfPresent(catalogPath)) !== JSON.stringify(catalog)) {
		await writeJsonAtomic(catalogPath, catalog);
		log('catalog.json written');
	}
	const dataset = await buildSpamAssassinDataset();
	log(`spam-assassin dataset: ${dataset.cached ? 'cached' : 'built'} (${dataset.count} subjects)`);
	const emails = await buildSpamEmailsDataset();
	log(`spam-assassin emails: ${emails.cached ? 'cached' : 'built'} (${emails.count} emails)`);
	const mnist = await buildMnistPack();
	log(`mnist pack: ${mnist.cached ? 'cached' : 'built'} (${mnist.count} digits)`);
	// After the SpamAssassin corpus: the OCR lines and the embedding queries come from it.
	const evals = await buildEvalSets();
	log(`eval sets: ${evals.cached ? 'cached' : 'built'} (${evals.summary})`);
	const icons = await buildAppIcons();
	log(`app icons: ${icons.cached ? 'cached' : 'drawn'}`);
	const client = await buildEmbedClient();
	log(`widget client: ${client.cached ? 'cached' : 'built'}`);
	log(`done in ${seconds(started)}`);
}

main().catch((error: unknown) => {
	console.error('[assets] failed:', error);
	process.exitCode = 1;
});
