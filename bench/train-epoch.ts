/**
 * How fast the Train page trains: one epoch of a 784-128-10 ReLU MLP (Adam, batches of 64) over
 * the 7,996 MNIST training digits, timed three ways:
 *
 * 1. Node, plain: a straightforward typed-array implementation (bench/plain-mlp.ts), the baseline.
 * 2. Node, Hearth's engine: src/lib/train (the code the build step trains the catalog with).
 * 3. Chromium, the training worker: the built site's Train page, MNIST digits, the same set-up;
 *    the per-epoch times the worker reports (pauses excluded) are read from the page's table.
 *
 * It prints the median epoch of each and the ratio worker / plain Node (about 1 or below means
 * the browser trains as fast as plain Node). Run it on a quiet machine; the load average is printed.
 *
 *   HEARTH_WORKSPACE=<name> npx tsx tests/support/build-sites.ts   # once
 *   HEARTH_WORKSPACE=<name> npx tsx bench/train-epoch.ts [--epochs 3]
 */
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadMnistSplit } from '../scripts/models/mnist/mnist-data';
import { runTrainJob } from '../src/lib/train/job';
import { createRandom, shuffleInPlace } from '../src/lib/train/random';
import { DEFAULT_SETUP, type TrainingSetup } from '../src/lib/train/setup';
import { CHROMIUM_ARGS, CHROMIUM_PATH, SUB_PATH } from '../tests/support/chromium';
import { TestFileServer } from '../tests/support/file-server';
import { SUB_PATH_BUILD_DIR } from '../tests/support/workspace';
import { adamState, createPlainMlp, plainEpoch } from './plain-mlp';

const epochsArg = process.argv.indexOf('--epochs');
const EPOCHS = epochsArg > 0 ? Number(process.argv[epochsArg + 1]) : 3;
const SETUP: TrainingSetup = {
	...DEFAULT_SETUP,
	validationShare: 0,
	model: { kind: 'mlp', hidden: [128], activation: 'relu', dropout: 0 },
	optimizer: 'adam',
	learningRate: 0.002,
	weightDecay: 0,
	batchSize: 64,
	epochs: EPOCHS,
	earlyStopping: null
};

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(0)} ms`;

function plainNode(): number[] {
	const { train } = loadMnistSplit();
	const mlp = createPlainMlp(784, 128, 10, 1);
	const adam = adamState(mlp);
	const order = Array.from({ length: train.labels.length }, (_, i) => i);
	const random = createRandom(2);
	const times: number[] = [];
	for (let epoch = 0; epoch < EPOCHS; epoch++) {
		shuffleInPlace(order, random);
		const start = performance.now();
		const loss = plainEpoch(mlp, train.inputs, train.labels, order, 64, 0.002, adam);
		times.push(performance.now() - start);
		if (!Number.isFinite(loss)) throw new Error('the plain implementation diverged');
	}
	return times;
}

async function engineNode(): Promise<number[]> {
	const { train } = loadMnistSplit();
	const times: number[] = [];
	let start = performance.now();
	await runTrainJob(
		{
			features: train.inputs,
			labels: train.labels,
			featureSize: 784,
			classNames: Array.from({ length: 10 }, (_, d) => String(d)),
			inputName: 'pixels',
			setup: SETUP
		},
		({ step }) => {
			if (step.kind === 'epoch') {
				times.push(performance.now() - start);
				start = performance.now();
			}
			return 'continue';
		}
	);
	return times;
}

async function browserWorker(): Promise<number[]> {
	if (!existsSync(SUB_PATH_BUILD_DIR)) {
		throw new Error(
			`${SUB_PATH_BUILD_DIR}/ is missing: build it with tests/support/build-sites.ts`
		);
	}
	const server = new TestFileServer(resolve(SUB_PATH_BUILD_DIR), SUB_PATH);
	await server.start();
	const profile = await mkdtemp(join(tmpdir(), 'hearth-bench-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: CHROMIUM_ARGS
	});
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(server.url('/train'));
		await page.getByTestId('mnist-count').fill('7996');
		await page.getByTestId('load-data').click();
		await page.getByTestId('data-summary').waitFor({ timeout: 60_000 });
		await page.getByTestId('validation-share').fill('0');
		await page.getByTestId('hidden-sizes').fill('128');
		await page.getByTestId('weight-decay').fill('0');
		await page.getByTestId('epochs').fill(String(EPOCHS));
		await page.getByTestId('early-stopping').setChecked(false);
		await page.getByTestId('train').click();
		await page
			.locator('[data-testid="train-state"][data-state="done"]')
			.waitFor({ timeout: 600_000 });
		const cells = await page.getByTestId('epoch-ms').allTextContents();
		return cells.map((text) => Number.parseFloat(text) * 1000);
	} finally {
		await context.close();
		await rm(profile, { recursive: true, force: true });
		await server.close();
	}
}

console.log(
	`load average ${loadavg()
		.map((v) => v.toFixed(2))
		.join(' ')}; ${EPOCHS} epochs each`
);
const plain = plainNode();
console.log(
	`Node, plain typed arrays:   ${plain.map(ms).join(', ')} (median ${ms(median(plain))})`
);
const engine = await engineNode();
console.log(
	`Node, Hearth's engine:      ${engine.map(ms).join(', ')} (median ${ms(median(engine))})`
);
const worker = await browserWorker();
console.log(
	`Chromium, training worker:  ${worker.map(ms).join(', ')} (median ${ms(median(worker))})`
);
console.log(`ratio worker / plain Node: ${(median(worker) / median(plain)).toFixed(2)}`);
console.log(`ratio engine in Node / plain Node: ${(median(engine) / median(plain)).toFixed(2)}`);
